"""The low-performing cluster engine.

It follows ``low-performing-clusters.md`` exactly. Rounds are walked in order while every
cluster is handled at once, so 100,000 clusters cost little more than a hundred: the data is
laid out as (cluster x round) matrices and each round is one vectorised step.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import numpy as np
import pandas as pd

from clusterbook.domain.errors import InputError
from clusterbook.domain.rounds import order_rounds
from clusterbook.domain.rule_parameters import (
    DEFAULT_PARAMETERS,
    PERCENTS,
    QUOTED_METHODS,
    STATUS_LABELS,
    BenchmarkChoice,
    BenchmarkMethod,
    RuleParameters,
    Status,
    benchmark_method,
)
from clusterbook.domain.table import TableSource, first_positions, is_prepared, prepare_round_table
from clusterbook.domain.values import format_percent, to_date


class Reason(StrEnum):
    """The words of the reasons. Each surface fills the fields its own way: the engine with
    numbers, the data book with formulas (``templates.databook_formulas``)."""

    BELOW = "PCA below benchmark x{run}"
    REFUSAL = "Refusal above {threshold}% x{run}"
    NOT_YET = "not yet {rounds} rounds above {exit}%"
    LEFT = "left the list: {run} rounds above {exit}%"
    NO_DATA = "no PCA value in this round"


#: Between two reasons of one status.
REASON_SEPARATOR: Final = "; "


@dataclass(frozen=True)
class Walk:
    """Everything the engine decides, as (round x cluster) arrays.

    Round-major, because the engine walks rounds: ``walk.status[:, c]`` is cluster c's
    statuses in round order.
    """

    below: np.ndarray
    high_refusal: np.ndarray
    good_coverage: np.ndarray
    below_run: np.ndarray
    refusal_run: np.ndarray
    good_run: np.ndarray
    on_list: np.ndarray
    status: np.ndarray
    entered: np.ndarray  # round index of the latest entry at or before r, -1 if never listed
    exited: np.ndarray  # round index the latest spell ended at or before r, -1 while listed
    spell: np.ndarray  # rounds on the list in the current spell, 0 when off the list


#: Benchmarks are rounded to this many decimals, so that spreadsheets summing in another
#: order (Excel, LibreOffice's compensated sum) reach the very same number.
BENCHMARK_DECIMALS: Final = 9


def regional_benchmark(pca: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Each round's regional benchmark: the mean PCA coverage over clusters with a value.

    With ``weights`` (children surveyed) the mean is weighted; rows without a weight are left
    out. A round where no cluster has a value has no benchmark (NaN). The mean is rounded to
    :data:`BENCHMARK_DECIMALS` decimals (the templates use ``ROUND(AVERAGE(...), 9)``).
    """
    pca = np.asarray(pca, dtype=float)
    if weights is None:
        present = ~np.isnan(pca)
        totals = np.where(present, pca, 0.0).sum(axis=0)
        counts = present.sum(axis=0)
    else:
        weights = np.asarray(weights, dtype=float)
        present = ~np.isnan(pca) & ~np.isnan(weights) & (weights > 0)
        totals = np.where(present, pca * np.where(present, weights, 0.0), 0.0).sum(axis=0)
        counts = np.where(present, weights, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: np.ndarray = np.where(counts > 0, totals / np.where(counts > 0, counts, 1), np.nan)
    return np.round(result, BENCHMARK_DECIMALS)


def _runs(flags: np.ndarray) -> np.ndarray:
    """Length of the streak of True ending at each round (0 where the flag is False).

    ``flags`` is round-major (rounds x clusters), so each step is one contiguous row.
    """
    runs = np.zeros(flags.shape, dtype=np.int16)
    runs[0] = flags[0]
    for r in range(1, flags.shape[0]):
        np.multiply(runs[r - 1] + 1, flags[r], out=runs[r])
    return runs


def walk_rounds(pca: np.ndarray, refusal: np.ndarray, benchmark: np.ndarray | float,
                parameters: RuleParameters | None = None) -> Walk:
    """Apply the entry and exit rules to (cluster x round) matrices of percents (NaN = missing).

    ``benchmark`` is one number or one value per round. Returns round-major arrays (see
    :class:`Walk`). This is the whole rule; every surface (table engine, UDFs, the reference
    for the native formulas) calls it.
    """
    parameters = parameters or RuleParameters()
    pca = np.atleast_2d(np.asarray(pca, dtype=float))
    refusal = np.atleast_2d(np.asarray(refusal, dtype=float))
    if refusal.shape != pca.shape:
        raise InputError(f"the refusal table has {refusal.shape[0]} x {refusal.shape[1]} values "
                         f"but the PCA table has {pca.shape[0]} x {pca.shape[1]}")
    bench = np.broadcast_to(np.asarray(benchmark, dtype=float), (pca.shape[1],))
    # Walk in round-major layout: every round is one contiguous row of all clusters.
    pca_by_round = np.ascontiguousarray(pca.T)
    with np.errstate(invalid="ignore"):
        below = pca_by_round < bench[:, np.newaxis]
        high_refusal = np.ascontiguousarray(refusal.T) > parameters.refusal_threshold
        good_coverage = pca_by_round > parameters.exit_benchmark
    below_run, refusal_run, good_run = _runs(below), _runs(high_refusal), _runs(good_coverage)

    n = parameters.rounds
    entry = (below_run >= n) | (refusal_run >= n)
    leave = good_run >= n
    on_list = np.empty_like(entry)
    spell = np.zeros(entry.shape, dtype=np.int16)
    entered = np.empty(entry.shape, dtype=np.int16)
    exited = np.empty(entry.shape, dtype=np.int16)
    never = np.full(entry.shape[1], -1, dtype=np.int16)
    previous_on, previous_spell = np.zeros(entry.shape[1], dtype=bool), spell[0]
    previous_entered, previous_exited = never, never
    for r in range(entry.shape[0]):
        now_on = entry[r] | (previous_on & ~leave[r])
        np.multiply(previous_spell + 1, now_on, out=spell[r])
        entered[r] = np.where(now_on & ~previous_on, r, previous_entered)
        exited[r] = np.where(now_on, -1, np.where(previous_on, r, previous_exited))
        on_list[r] = now_on
        previous_on, previous_spell = now_on, spell[r]
        previous_entered, previous_exited = entered[r], exited[r]

    status = np.where(on_list, Status.LOW_PERFORMING,
                      np.where(below, Status.WATCH,
                               np.where(np.isnan(pca_by_round), Status.NO_DATA, Status.ON_TRACK))
                      ).astype(np.int8)
    return Walk(below, high_refusal, good_coverage, below_run, refusal_run, good_run,
                on_list, status, entered, exited, spell)


def reason_text(status: int, below_run: int, refusal_run: int, good_run: int, left_now: bool,
                parameters: RuleParameters) -> str:
    """Why a cluster has its status in a round, in the words of the framework."""
    n = parameters.rounds
    exit_ = _percent_number(parameters.exit_benchmark)
    refusal = Reason.REFUSAL.format(threshold=_percent_number(parameters.refusal_threshold),
                                    run=refusal_run)
    below = Reason.BELOW.format(run=below_run)
    if status == Status.LOW_PERFORMING:
        parts = [text for text, run in ((below, below_run), (refusal, refusal_run)) if run >= n]
        return REASON_SEPARATOR.join(parts) or Reason.NOT_YET.format(rounds=n, exit=exit_)
    parts = []
    if status == Status.WATCH:
        parts.append(below)
    elif status == Status.NO_DATA:
        parts.append(Reason.NO_DATA)
    elif left_now:
        parts.append(Reason.LEFT.format(run=good_run, exit=exit_))
    if refusal_run > 0:
        parts.append(refusal)
    return REASON_SEPARATOR.join(parts)


def _percent_number(value: float) -> str:
    """A parameter as the reasons write it before their '%': 10.0 as '10', 92.5 as '92.5'."""
    return format_percent(value).removesuffix("%")


def reasons(walk: Walk, parameters: RuleParameters) -> tuple[np.ndarray, list[str]]:
    """Reason codes per (round, cluster) and the text of each code.

    Only the streaks a reason mentions make up its key, so equal texts share a code, and each
    text is built once per distinct key, not once per cell. Keys are made one round at a time
    to keep memory low.
    """
    rounds = walk.status.shape[0]
    n, span = parameters.rounds, rounds + 1
    keys = np.empty(walk.status.shape, dtype=np.int32 if 4 * span ** 3 < 2**31 else np.int64)
    for r in range(rounds):
        status = walk.status[r]
        low = status == Status.LOW_PERFORMING
        below_run, refusal_run = walk.below_run[r], walk.refusal_run[r]
        below_part = np.where(low, np.where(below_run >= n, below_run, 0),
                              np.where(status == Status.WATCH, below_run, 0))
        refusal_part = np.where(low & (refusal_run < n), 0, refusal_run)
        # Only an On track cluster's reason says it left the list (a cluster can leave while
        # below the benchmark when the benchmark is above the exit benchmark: it is Watch).
        good_part = np.where((walk.exited[r] == r) & (status == Status.ON_TRACK),
                             walk.good_run[r], 0)
        keys[r] = status + 4 * (below_part + span * (refusal_part.astype(keys.dtype)
                                                     + span * good_part.astype(keys.dtype)))
    # Each distinct key gets the code of its text; keys that read the same share one code.
    code_of_key = np.full(4 * span ** 3, -1, dtype=np.int32)
    texts: list[str] = []
    code_of_text: dict[str, int] = {}
    used = np.zeros(len(code_of_key), dtype=bool)
    used[keys.ravel()] = True
    for value in np.flatnonzero(used):
        status, rest = int(value) % 4, int(value) // 4
        below, rest = rest % span, rest // span
        refusal, good = rest % span, rest // span
        text = reason_text(status, below, refusal, good, good > 0, parameters)
        code_of_key[value] = code_of_text.setdefault(text, len(texts))
        if code_of_key[value] == len(texts):
            texts.append(text)
    return code_of_key[keys], texts


def _small_keys(values: np.ndarray, descending: bool) -> np.ndarray | None:
    """16-bit sort keys equal in order to ``values`` (NaN last), or None when the values are
    not whole at 0, 1 or 2 decimals within 16 bits. NumPy sorts such keys by radix."""
    present = values[~np.isnan(values)]
    if not len(present):
        return np.zeros(len(values), dtype=np.uint16)
    low, high = float(present.min()), float(present.max())
    for scale in (1.0, 10.0, 100.0):
        scaled = present * scale
        if (high - low) * scale < 65534 and np.all(np.abs(scaled - np.rint(scaled)) < 1e-6):
            keys = np.rint((high - values if descending else values - low) * scale)
            return np.nan_to_num(keys, nan=65535).astype(np.uint16)
    return None


def priority_ranks(on_list: np.ndarray, missed: np.ndarray, pca: np.ndarray) -> np.ndarray:
    """Rank of each listed cluster within its round: most missed children first, then the
    largest gap to the round's benchmark (the lowest coverage), then input order; 0 for
    clusters not on the list. All arrays are round-major (rounds x clusters)."""
    ranks = np.zeros(on_list.shape, dtype=np.int32)
    for r in range(on_list.shape[0]):
        rows = np.flatnonzero(on_list[r])
        if not len(rows):
            continue
        most_missed, lowest_pca = missed[r, rows], pca[r, rows]
        coverage_keys = _small_keys(lowest_pca, descending=False)
        missed_keys = _small_keys(most_missed, descending=True)
        if coverage_keys is not None and missed_keys is not None:
            # Two stable radix sorts: by coverage, then by missed children.
            order = np.argsort(coverage_keys, kind="stable")
            order = order[np.argsort(missed_keys[order], kind="stable")]
        else:
            order = np.lexsort((np.nan_to_num(lowest_pca, nan=np.inf),
                                np.nan_to_num(-most_missed, nan=np.inf)))
        ranks[r, rows[order]] = np.arange(1, len(rows) + 1, dtype=np.int32)
    return ranks


@dataclass(frozen=True)
class RoundMatrix:
    """A round table laid out as (cluster x round) matrices, clusters in order of appearance."""

    clusters: pd.DataFrame  # province, district, cluster_code, cluster_name: one row per cluster
    rounds: list[Hashable]  # round labels in campaign order
    pca: np.ndarray
    refusal: np.ndarray
    children_surveyed: np.ndarray | None  # None when the input has no such column
    missed_children: np.ndarray | None


def to_matrix(table: pd.DataFrame) -> RoundMatrix:
    """Lay a prepared round table out as (cluster x round) matrices."""
    # In order of appearance. As positions: pandas keeps the codes of fewer than 128
    # categories in int8, where code * rounds below would overflow.
    cluster_codes = np.asarray(table["cluster_code"].cat.codes, dtype=np.intp)
    first = first_positions(cluster_codes)
    round_column = table["round"].cat
    present = np.flatnonzero(np.bincount(round_column.codes.to_numpy(),
                                         minlength=len(round_column.categories)))
    labels = [round_column.categories[int(index)] for index in present]
    dates = _round_dates(table) if "round_date" in table.columns else None
    ordered = order_rounds(labels, dates)
    position_of_category = np.full(len(round_column.categories), -1, dtype=np.intp)
    position = {label: index for index, label in enumerate(ordered)}
    for index, label in zip(present, labels, strict=True):
        position_of_category[index] = position[label]
    round_codes = position_of_category[round_column.codes.to_numpy()]
    cells = cluster_codes * len(ordered) + round_codes
    shape = (len(first), len(ordered))

    def spread(column: str) -> np.ndarray:
        matrix = np.full(shape[0] * shape[1], np.nan)
        matrix[cells] = table[column].to_numpy(dtype=float, na_value=np.nan)
        return matrix.reshape(shape)

    def spread_optional(column: str) -> np.ndarray | None:
        return spread(column) if column in table.columns else None

    clusters = table.iloc[first][["province", "district", "cluster_code", "cluster_name"]]
    return RoundMatrix(clusters.reset_index(drop=True), ordered, spread("pca_coverage"),
                       spread("refusal_rate"), spread_optional("children_surveyed"),
                       spread_optional("missed_children"))


def _round_dates(table: pd.DataFrame) -> dict[Hashable, dt.date] | None:
    dates: dict[Hashable, dt.date] = {}
    frame = pd.DataFrame({"round": table["round"].astype(object),
                          "date": table["round_date"].astype(object)})
    for label, value in frame.groupby("round", sort=False)["date"].first().items():
        try:
            date = to_date(value)
        except ValueError:
            return None
        if date is None:
            return None
        dates[label] = date
    return dates


def benchmark_per_round(matrix: RoundMatrix, choice: BenchmarkChoice) -> np.ndarray:
    """The benchmark of every round for a user's choice (see :func:`classify_clusters`)."""
    method = benchmark_method(choice)
    if method is BenchmarkMethod.MEAN:
        return regional_benchmark(matrix.pca)
    if method is BenchmarkMethod.WEIGHTED:
        if matrix.children_surveyed is None or np.isnan(matrix.children_surveyed).all():
            raise InputError("a weighted benchmark needs a 'Children surveyed' column")
        return regional_benchmark(matrix.pca, matrix.children_surveyed)
    if isinstance(choice, Mapping):
        base = regional_benchmark(matrix.pca)
        unknown = [label for label in choice if label not in matrix.rounds]
        if unknown:
            raise InputError(f"benchmarks were given for rounds that are not in the data: "
                             f"{', '.join(map(str, unknown))}")
        for index, label in enumerate(matrix.rounds):
            if label in choice and choice[label] is not None:
                base[index] = fixed_benchmark(choice[label])
        return base
    if isinstance(choice, str):
        raise InputError(f"the benchmark must be {', '.join(QUOTED_METHODS)} or a number, "
                         f"not '{choice}'")
    return np.full(len(matrix.rounds), fixed_benchmark(choice))


def fixed_benchmark(value: object) -> float:
    """A benchmark the user gave, as a percent (:data:`PERCENTS`); InputError otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"the benchmark must be a number, not '{value}'") from None
    if math.isnan(number) or number not in PERCENTS:
        raise InputError(f"the benchmark must be a percent from {PERCENTS}, not {value}")
    return number


OUTPUT_COLUMNS: Final = (
    "province", "district", "cluster_code", "cluster_name", "round", "pca_coverage",
    "refusal_rate", "benchmark", "below_benchmark", "high_refusal", "status", "reasons",
    "entered_round", "exited_round", "rounds_on_list", "priority",
)
#: Counts passed through to the output when the input has them.
OPTIONAL_OUTPUT_COLUMNS: Final = ("missed_children", "children_surveyed")


@dataclass(frozen=True)
class Classification:
    """The engine's answer with what it was asked: the flags table (see :func:`classify`), the
    rule parameters it applied and the rounds in campaign order."""

    flags: pd.DataFrame
    parameters: RuleParameters
    rounds: list[Hashable]


def classify(
    frame: pd.DataFrame,
    *,
    rounds: int = DEFAULT_PARAMETERS.rounds,
    refusal_threshold: float = DEFAULT_PARAMETERS.refusal_threshold,
    exit_benchmark: float = DEFAULT_PARAMETERS.exit_benchmark,
    benchmark: BenchmarkChoice = None,
    source: TableSource | None = None,
) -> Classification:
    """Classify every cluster in every round of a long round table.

    ``frame`` has one row per cluster per round (headers as people type them are accepted).
    The rule's parameters default to the framework's (:data:`DEFAULT_PARAMETERS`).
    ``benchmark`` is None or "mean" for each round's regional mean, "weighted" for the mean
    weighted by children surveyed, one number for a fixed benchmark, or a mapping of round
    label to number (other rounds keep the regional mean).

    The flags have one row per cluster per round of the whole input, clusters in order of
    first appearance and rounds in campaign order, with the columns of :data:`OUTPUT_COLUMNS`
    (and of :data:`OPTIONAL_OUTPUT_COLUMNS` that the input has).
    ``status`` is one of ``Low performing``, ``Watch``, ``On track`` or ``No data``.
    """
    parameters = RuleParameters(rounds, refusal_threshold, exit_benchmark)
    table = frame if is_prepared(frame) else prepare_round_table(frame, source)
    matrix = to_matrix(table)
    del table  # the matrices hold all the engine needs from here on
    bench = benchmark_per_round(matrix, benchmark)
    walk = walk_rounds(matrix.pca, matrix.refusal, bench, parameters)
    return Classification(flags_frame(matrix, bench, walk, parameters), parameters,
                          list(matrix.rounds))


def classify_clusters(frame: pd.DataFrame, **rules: Any) -> pd.DataFrame:
    """The flags table of :func:`classify` (same arguments), for callers that need no more."""
    return classify(frame, **rules).flags


def flags_frame(matrix: RoundMatrix, bench: np.ndarray, walk: Walk,
                parameters: RuleParameters) -> pd.DataFrame:
    """The long result table of :func:`classify_clusters` from the engine's arrays."""
    clusters, rounds = matrix.pca.shape
    cluster_index = np.repeat(np.arange(clusters, dtype=np.int32), rounds)
    round_index = np.tile(np.arange(rounds, dtype=np.int32), clusters)
    round_labels = pd.Index(matrix.rounds, dtype=object)
    pca_by_round = matrix.pca.T  # views: priority reads only the listed cells of each round
    missed = (matrix.missed_children.T if matrix.missed_children is not None
              else np.full(pca_by_round.shape, np.nan))
    ranks = priority_ranks(walk.on_list, missed, pca_by_round).T.ravel()
    reason_codes, reason_texts = reasons(walk, parameters)

    def by_cluster(round_major: np.ndarray) -> np.ndarray:
        return round_major.T.ravel()

    def per_cluster(column: str) -> pd.Categorical:
        codes, uniques = pd.factorize(matrix.clusters[column])
        return pd.Categorical.from_codes(codes[cluster_index], categories=pd.Index(uniques))

    def round_labels_at(indices: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(indices.astype(np.int64), categories=round_labels,
                                         ordered=True)

    columns = {
        "province": per_cluster("province"),
        "district": per_cluster("district"),
        "cluster_code": per_cluster("cluster_code"),
        "cluster_name": per_cluster("cluster_name"),
        "round": round_labels_at(round_index),
        "pca_coverage": matrix.pca.ravel(),
        "refusal_rate": matrix.refusal.ravel(),
        "benchmark": bench[round_index],
        "below_benchmark": by_cluster(walk.below),
        "high_refusal": by_cluster(walk.high_refusal),
        "status": pd.Categorical.from_codes(by_cluster(walk.status),
                                            categories=pd.Index(STATUS_LABELS)),
        "reasons": pd.Categorical.from_codes(by_cluster(reason_codes),
                                             categories=pd.Index(reason_texts)),
        "entered_round": round_labels_at(by_cluster(walk.entered)),
        "exited_round": round_labels_at(by_cluster(walk.exited)),
        "rounds_on_list": by_cluster(walk.spell),
        "priority": pd.arrays.IntegerArray(ranks, ranks == 0),
    }
    for key in OPTIONAL_OUTPUT_COLUMNS:
        counts = getattr(matrix, key)
        if counts is not None:
            columns[key] = counts.ravel()
    result = pd.DataFrame(columns, copy=False)
    result.attrs["rounds"] = list(matrix.rounds)
    return result


def classify_matrix(pca: Sequence[Sequence[float]] | np.ndarray,
                    refusal: Sequence[Sequence[float]] | np.ndarray,
                    benchmark: np.ndarray | float | None = None,
                    parameters: RuleParameters | None = None) -> Walk:
    """Classify clusters given as matrices (rows clusters, columns rounds in order).

    Without ``benchmark``, each round's regional mean of ``pca`` is used.
    """
    pca_array = np.atleast_2d(np.asarray(pca, dtype=float))
    bench = regional_benchmark(pca_array) if benchmark is None else benchmark
    return walk_rounds(pca_array, np.asarray(refusal, dtype=float), bench, parameters)
