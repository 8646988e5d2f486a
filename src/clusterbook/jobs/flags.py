"""The flags job: round data file in, flags book (or CSV) out. CLI, demo and launcher call it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from clusterbook.domain.errors import InputError
from clusterbook.domain.rules import RuleParameters, classify
from clusterbook.domain.summary import summarize
from clusterbook.excel.round_data import read_round_file

OUTPUT_SUFFIXES = (".xlsx", ".csv")


@dataclass(frozen=True)
class FlagsResult:
    """What the flags job produced."""

    flags: pd.DataFrame
    summary: pd.DataFrame
    out: Path | None
    parameters: RuleParameters  # the rule parameters the flags were classified with

    def report(self) -> str:
        """A few lines an officer reads after the job."""
        return describe_flags(self.flags, self.summary, self.out)


def run_flags(input_path: Path | str, out: Path | str | None = None, *,
              notice: str = "", **rules: Any) -> FlagsResult:
    """Read round data, classify every cluster, and write the result when ``out`` is given."""
    input_path = Path(input_path)
    out_path = Path(out) if out is not None else None
    if out_path is not None and out_path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError(f"the output must end in .xlsx or .csv, not '{out_path.name}'")
    frame, source = read_round_file(input_path)
    classified = classify(frame, source=source, **rules)
    flags, parameters = classified.flags, classified.parameters
    summary = summarize(flags, parameters=parameters)
    if out_path is not None:
        write_flags(flags, out_path, parameters=parameters, source=input_path.name,
                    notice=notice, summary=summary)
    return FlagsResult(flags, summary, out_path, parameters)


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
