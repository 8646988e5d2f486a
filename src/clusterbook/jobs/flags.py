"""The flags job: round data in, each cluster's status round by round (and the flags book
or CSV) out. The CLI, the launcher, the Excel button and the demo call :func:`run_flags`."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterbook.domain.errors import InputError
from clusterbook.domain.rules import RuleParameters, classify
from clusterbook.domain.summary import summarize
from clusterbook.domain.table import TableSource
from clusterbook.excel.round_data import find_round_table, read_round_file
from clusterbook.jobs.progress import Progress, unheard

OUTPUT_SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class OpenBook:
    """Round data in a book open in Excel: its name and each sheet's cells from A1 (read
    once, sheet by sheet, up to the first that holds the round table)."""

    name: str
    sheets: Iterable[tuple[str, list[list[Any]]]]


@dataclass(frozen=True)
class FlagsRequest:
    """Classify the clusters of round data (a file, or an open book's sheets); write the
    flags book (.xlsx) or table (.csv) when ``out`` is given."""

    source: Path | OpenBook
    out: Path | None = None
    #: The rule's parameters as ``classify_clusters`` takes them (its defaults when empty).
    rules: Mapping[str, Any] = field(default_factory=dict)
    notice: str = ""


@dataclass(frozen=True)
class FlagsResult:
    """What the flags job produced: every cluster in every round, and the summary of the last
    round (other rounds' on request, each worked out once)."""

    flags: pd.DataFrame
    summary: pd.DataFrame
    out: Path | None
    #: The rule's parameters the flags were classified with.
    parameters: RuleParameters
    #: Where the round data was found (file, sheet, rows).
    table: TableSource | None = None
    _summaries: dict[Hashable, pd.DataFrame] = field(default_factory=dict, repr=False,
                                                    compare=False)

    @property
    def rounds(self) -> list[Hashable]:
        return list(self.flags.attrs["rounds"])

    def summary_at(self, at_round: Hashable | None = None) -> pd.DataFrame:
        """Counts per region, province and district in a round (default the last)."""
        if at_round is None or at_round == self.rounds[-1]:
            return self.summary
        if at_round not in self._summaries:
            self._summaries[at_round] = summarize(self.flags, at_round=at_round,
                                                  parameters=self.parameters)
        return self._summaries[at_round]

    def statuses_at(self, at_round: Hashable | None = None) -> pd.DataFrame:
        """One row per cluster: its status, reasons and priority in a round (default the
        last), listed clusters by priority first, as the flags book lists them."""
        from clusterbook.reports.flags_book import current_view

        return current_view(self.flags, at_round)

    def report(self) -> str:
        """A few lines an officer reads after the job."""
        return describe_flags(self.flags, self.summary, self.out)


def run_flags(request: FlagsRequest, progress: Progress | None = None) -> FlagsResult:
    """Read round data, classify every cluster, and write the result when asked."""
    report = progress or unheard
    source = request.source if isinstance(request.source, OpenBook) else Path(request.source)
    out_path = Path(request.out) if request.out is not None else None
    if out_path is not None and out_path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(f"the output must end in .xlsx or .csv, not '{out_path.name}'")
    steps = 3 if out_path is not None else 2
    report(0, steps, f"Reading {source.name}")
    if isinstance(source, OpenBook):
        frame, table = find_round_table(source.name, source.sheets)
    else:
        frame, table = read_round_file(source)
    report(1, steps, "Classifying clusters")
    classified = classify(frame, source=table, **request.rules)
    flags, parameters = classified.flags, classified.parameters
    summary = summarize(flags, parameters=parameters)
    if out_path is not None:
        report(2, steps, f"Writing {out_path.name}")
        write_flags(flags, out_path, parameters=parameters, source=source.name,
                    notice=request.notice, summary=summary)
    report(steps, steps, "Done")
    return FlagsResult(flags, summary, out_path, parameters, table)


def write_flags(flags: pd.DataFrame, out: Path, *, parameters: RuleParameters,
                source: str = "", notice: str = "", summary: pd.DataFrame | None = None
                ) -> None:
    """Write flags as a book (.xlsx) or a table (.csv), by the name's ending."""
    from clusterbook.reports.flags_book import write_flags_book, write_flags_csv

    if out.suffix.lower() == ".csv":
        write_flags_csv(flags, out)
    else:
        write_flags_book(flags, out, parameters=parameters, source=source, notice=notice,
                         summary=summary)


def describe_flags(flags: pd.DataFrame, summary: pd.DataFrame, out: Path | None) -> str:
    """'928 clusters, 12 rounds (R1 to R12). In R12: 449 low performing ...'."""
    rounds = flags.attrs.get("rounds") or list(flags["round"].cat.categories)
    region = summary[summary["level"] == "region"].iloc[0]
    lines = [
        f"{int(region['clusters']):,} clusters, {len(rounds)} rounds "
        f"({rounds[0]} to {rounds[-1]}).",
        f"In {rounds[-1]}: {int(region['low_performing']):,} low performing "
        f"({int(region['newly_listed']):,} newly listed, {int(region['left_list']):,} left the "
        f"list), {int(region['watch']):,} watch, {int(region['on_track']):,} on track, "
        f"{int(region['no_data']):,} with no data.",
    ]
    if out is not None:
        lines.append(f"Wrote {out}")
    return "\n".join(lines)
