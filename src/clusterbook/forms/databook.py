"""The campaign data book: the regional team's live book of clusters, rounds and flags.

Described once, here: the template builder writes it from this, ``clusterbook databook`` fills
it, and the round-data reader reads a filled book back through it. Sheets:

- ``Clusters``: the master list, one row per cluster (row ``r`` of every per-cluster sheet is
  the cluster on row ``r`` of ``Clusters``);
- ``PCA`` and ``Refusals``: one row per cluster, one column per round; the round label is
  typed once, in the header row of ``PCA``;
- ``Benchmarks``: the rule parameters as named cells, and each round's regional average with
  an optional override;
- ``Status``, ``Current``, ``Dashboard``: computed by native formulas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

from clusterbook.domain.rule_parameters import DEFAULT_PARAMETERS, FEWEST_ROUNDS, PERCENTS
from clusterbook.forms.schema import (
    Field,
    Form,
    Kind,
    RecordSection,
    RowsUnderHeader,
    TableSection,
)

#: The most a data book holds: clusters (rows) and campaign rounds (columns).
MAX_CLUSTERS: Final = 2000
MAX_ROUNDS: Final = 36
#: The blank template's room: a region of up to 1,500 clusters, two years of monthly rounds.
TEMPLATE_CLUSTERS: Final = 1500
TEMPLATE_ROUNDS: Final = 24
#: A filled book's room beyond its data: a fifth more clusters (at least 100), a year of
#: monthly rounds; rounded up to whole hundreds of clusters.
CLUSTER_HEADROOM_SHARE: Final = 0.2
CLUSTER_HEADROOM_LEAST: Final = 100
ROUND_HEADROOM: Final = 12

CLUSTERS = TableSection(
    key="clusters", title="Clusters", sheet="Clusters", title_row=1, header_row=3,
    rows=MAX_CLUSTERS, extendable=False,
    fields=(
        Field("province", "Province", required=True, width=18),
        Field("district", "District", required=True, width=16),
        Field("cluster_code", "Cluster code", required=True, width=13,
              help="Unique code of the cluster, e.g. KTL-012. Every sheet follows this row "
                   "order: add new clusters at the bottom."),
        Field("cluster_name", "Cluster name", width=26),
        Field("target_population", "Target population (0-59 months)", Kind.COUNT, width=17,
              aliases=("Target population",)),
        Field("households", "Households", Kind.COUNT, width=12,
              aliases=("Number of households",)),
    ),
)


@dataclass(frozen=True)
class RoundGrid(RowsUnderHeader):
    """A sheet of one value per cluster (rows, aligned with ``Clusters``) per round (columns)."""

    key: str  # the round-table column it holds, e.g. "pca_coverage"
    title: str
    sheet: str
    value: Field  # what each cell holds (its kind, validation and input message)
    header_row: int = 3  # the round labels
    first_column: int = 3  # round 1; columns A and B show the cluster code and district
    code_column: int = 1
    district_column: int = 2
    rows: int = MAX_CLUSTERS
    rounds: int = MAX_ROUNDS

    @property
    def last_column(self) -> int:
        return self.first_column + self.rounds - 1

    def column_of_round(self, number: int) -> int:
        """The 1-based column of round ``number`` (1 = the first round)."""
        if not 1 <= number <= self.rounds:
            raise ValueError(f"round {number} is outside 1..{self.rounds}")
        return self.first_column + number - 1

    def row_of_cluster(self, number: int) -> int:
        """The sheet row of the ``number``-th cluster (1 = the first)."""
        return self.first_data_row + number - 1


PERCENT_HELP: Final = (f"Type the percent, {PERCENTS} (93 for 93 %), or leave blank when not "
                       "assessed.")

PCA = RoundGrid(
    key="pca_coverage", title="PCA coverage (%) by cluster and round", sheet="PCA",
    value=Field("pca_coverage", "PCA coverage (%)", Kind.PERCENT, minimum=PERCENTS.low,
                maximum=PERCENTS.high,
                help="Post-campaign assessment coverage. " + PERCENT_HELP),
)
REFUSALS = RoundGrid(
    key="refusal_rate", title="Refusal rate (%) by cluster and round", sheet="Refusals",
    value=Field("refusal_rate", "Refusal rate (%)", Kind.PERCENT, minimum=PERCENTS.low,
                maximum=PERCENTS.high,
                help="Share of children missed because of refusal. " + PERCENT_HELP),
)

#: The rule parameters, with the framework's defaults; each value cell carries the defined
#: name given in PARAMETER_NAMES.
_DEFAULTS: Final = DEFAULT_PARAMETERS
PARAMETERS = RecordSection(
    key="parameters", title="Benchmarks and rule parameters", sheet="Benchmarks",
    title_row=1, first_row=4,
    fields=(
        Field("rounds", "Rounds in a row to enter or leave the list (N)", Kind.COUNT,
              required=True, minimum=FEWEST_ROUNDS, maximum=MAX_ROUNDS,
              default=_DEFAULTS.rounds, help=f"The framework uses {_DEFAULTS.rounds}."),
        Field("refusal_threshold", "Refusal threshold (%)", Kind.PERCENT, required=True,
              minimum=PERCENTS.low, maximum=PERCENTS.high, default=_DEFAULTS.refusal_threshold,
              help=f"Refusal is high above this percent (the framework uses "
                   f"{_DEFAULTS.refusal_threshold:g})."),
        Field("exit_benchmark", "Exit benchmark (%)", Kind.PERCENT, required=True,
              minimum=PERCENTS.low, maximum=PERCENTS.high, default=_DEFAULTS.exit_benchmark,
              help=f"Coverage is good above this percent (the global benchmark, "
                   f"{_DEFAULTS.exit_benchmark:g})."),
    ),
)
PARAMETER_NAMES: Final = {"rounds": "RoundsToEnter", "refusal_threshold": "RefusalThreshold",
                          "exit_benchmark": "ExitBenchmark"}
#: The defined name of the number of the last round that has a label (0 when none).
LAST_ROUND_NAME: Final = "LastRound"


@dataclass(frozen=True)
class BenchmarkTable:
    """One row per round on the Benchmarks sheet: label, count, mean, override, used."""

    sheet: str = "Benchmarks"
    title_row: int = 9
    header_row: int = 10
    rounds: int = MAX_ROUNDS
    #: Columns, 1-based, in order.
    label_column: int = 1
    count_column: int = 2
    average_column: int = 3
    override_column: int = 4
    used_column: int = 5
    in_use_column: int = 6  # the round's number when it has a label, else 0

    def row_of_round(self, number: int) -> int:
        return self.header_row + number

    @property
    def last_row(self) -> int:
        return self.header_row + self.rounds


BENCHMARKS = BenchmarkTable()
OVERRIDE = Field("benchmark_override", "Override (%)", Kind.PERCENT, minimum=PERCENTS.low,
                 maximum=PERCENTS.high,
                 help="Leave blank to use the regional average; type a percent to use it as "
                      "this round's benchmark instead.")

@dataclass(frozen=True)
class DataBookRoom:
    """How many clusters (rows) and rounds (columns) one data book's sheets and formulas
    span; its sections, sized. Readers use the module's full-size sections: reading past a
    book's room finds empty cells."""

    clusters: int = TEMPLATE_CLUSTERS
    rounds: int = TEMPLATE_ROUNDS

    @property
    def cluster_list(self) -> TableSection:
        return replace(CLUSTERS, rows=self.clusters)

    @property
    def pca(self) -> RoundGrid:
        return replace(PCA, rows=self.clusters, rounds=self.rounds)

    @property
    def refusals(self) -> RoundGrid:
        return replace(REFUSALS, rows=self.clusters, rounds=self.rounds)

    @property
    def benchmarks(self) -> BenchmarkTable:
        return replace(BENCHMARKS, rounds=self.rounds)

    def describe(self) -> str:
        """The room, as the book states it."""
        return (f"This book has room for {self.clusters:,} clusters and {self.rounds} rounds; "
                f"for more, build a new one with 'clusterbook databook' (up to "
                f"{MAX_CLUSTERS:,} clusters and {MAX_ROUNDS} rounds).")


def room_for(clusters: int, rounds: int) -> DataBookRoom:
    """The room of a book filled with ``clusters`` clusters and ``rounds`` rounds: the data
    plus headroom, never more than the maximum."""
    if not clusters and not rounds:
        return DataBookRoom()
    spare = max(CLUSTER_HEADROOM_LEAST, math.ceil(clusters * CLUSTER_HEADROOM_SHARE))
    return DataBookRoom(
        clusters=min(MAX_CLUSTERS, max(clusters, 100 * math.ceil((clusters + spare) / 100))),
        rounds=min(MAX_ROUNDS, max(rounds, rounds + ROUND_HEADROOM)))


STATUS_SHEET: Final = "Status"
CURRENT_SHEET: Final = "Current"
DASHBOARD_SHEET: Final = "Dashboard"
ADDIN_SHEET: Final = "Flags (add-in)"
#: Status grid: column A the cluster code, then round k in column 1 + k; rows as PCA.
STATUS_FIRST_COLUMN: Final = 2

DATABOOK = Form(
    form_id="campaign-databook",
    version="2025.1",
    title="Campaign Data Book: Low-Performing Clusters",
    sections=(CLUSTERS, PARAMETERS),
    instructions=(
        "List every cluster on sheet 'Clusters', one per row; add new clusters at the "
        "bottom. The other sheets follow the same row order, so never sort 'Clusters'.",
        "On sheet 'PCA', type each round's label in the dark header row (e.g. R1, R2, or the "
        "campaign date), in campaign order from left to right, then each cluster's PCA "
        "coverage in percent (93 for 93 %). Leave a cell blank when the cluster was not "
        "assessed.",
        "On sheet 'Refusals', type the refusal rate in percent, in the same rows and columns.",
        "Everything else computes itself, with no add-in and no macro: 'Status' shows every "
        "cluster in every round, 'Current' the last round with the reasons, 'Dashboard' the "
        "counts per district.",
        "A cluster enters the low-performing list after N rounds in a row below the regional "
        "benchmark, or N rounds in a row with refusal above the threshold; it leaves after N "
        "rounds in a row above the exit benchmark. A missing value breaks a run.",
        "Each round's benchmark is the regional average PCA coverage; to use another value "
        "for a round, type it in the 'Override' column of sheet 'Benchmarks'. N and the "
        "thresholds are set at the top of that sheet.",
        "Hidden sheets whose names start with '_' hold the working of the formulas; leave "
        "them as they are.",
    ),
)
