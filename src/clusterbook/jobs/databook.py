"""The data book job: round data in, the live campaign data book out. CLI and demo call it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from clusterbook.domain.errors import InputError, Location, WorkbookError
from clusterbook.domain.rule_parameters import RuleParameters
from clusterbook.domain.table import header_key, prepare_round_table
from clusterbook.domain.values import clean_text, to_whole_number
from clusterbook.excel.round_data import CSV_SUFFIXES, read_round_file
from clusterbook.forms.databook import CLUSTERS, room_for
from clusterbook.jobs.progress import Progress, unheard


@dataclass(frozen=True)
class DataBookResult:
    """What the data book job wrote."""

    out: Path
    clusters: int
    rounds: list[Any]
    room: str = ""  # what the book has room for, as the book states it

    def report(self) -> str:
        span = (f"{len(self.rounds)} rounds ({self.rounds[0]} to {self.rounds[-1]})"
                if self.rounds else "no rounds")
        return (f"Wrote {self.out}: {self.clusters:,} clusters, {span}. Its flags are live "
                f"formulas: open it in Excel or LibreOffice and type new rounds as they come."
                + (f" {self.room}" if self.room else ""))


@dataclass(frozen=True)
class DataBookRequest:
    """Fill the campaign data book ``out`` from round data (CSV or XLSX, one row per cluster
    per round), read exactly as the flags job reads it. ``clusters`` is an optional cluster
    list adding target population and households."""

    source: Path
    out: Path
    clusters: Path | None = None
    notice: str = ""
    #: The rule's parameters as ``classify_clusters`` takes them (its defaults when empty);
    #: the book's formulas take the regional mean or a fixed benchmark.
    rules: Mapping[str, Any] = field(default_factory=dict)


def run_databook(request: DataBookRequest, progress: Progress | None = None) -> DataBookResult:
    """Write the campaign data book, its flags left as live formulas."""
    from clusterbook.templates.databook import write_databook
    from clusterbook.templates.databook_content import databook_content

    report = progress or unheard
    out_path, source_path = Path(request.out), Path(request.source)
    if out_path.suffix.lower() != ".xlsx":
        raise InputError(f"the data book must be an .xlsx file, not '{out_path.name}'")
    report(0, 2, f"Reading {source_path.name}")
    frame, source = read_round_file(source_path)
    table = prepare_round_table(frame, source)
    listed = read_cluster_list(request.clusters) if request.clusters is not None else None
    rules = dict(request.rules)
    benchmark = rules.pop("benchmark", None)
    content = databook_content(table, clusters=listed, benchmark=benchmark,
                               notice=request.notice, parameters=RuleParameters(**rules))
    report(1, 2, f"Writing {out_path.name}")
    write_databook(out_path, content)
    room = room_for(len(content.clusters), len(content.rounds))
    report(2, 2, "Done")
    return DataBookResult(out_path, len(content.clusters), list(content.rounds),
                          room.describe())


def read_cluster_list(path: Path | str) -> pd.DataFrame:
    """A cluster list (CSV or XLSX): province, district, cluster code, name, target
    population, households, with headers matched as the data book names them."""
    path = Path(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False,
                                encoding="utf-8-sig")
        except FileNotFoundError:
            raise InputError([(Location(file=path.name), "the file does not exist")]) from None
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
            raise InputError([(Location(file=path.name), f"the cluster list is not a readable "
                                                         f"table ({error})")]) from None
        sheet, first_row = "", 2
    else:
        frame, sheet, first_row = _first_sheet(path)
    names = {}
    for header in frame.columns:
        key = _cluster_field(header)
        if key and key not in names.values():
            names[header] = key
    if "cluster_code" not in names.values():
        raise InputError([(Location(file=path.name, sheet=sheet),
                           "the cluster list has no 'Cluster code' column")])
    frame = frame[list(names)].rename(columns=names)
    problems: list[tuple[Location, str]] = []
    for key in ("target_population", "households"):
        if key in frame.columns:
            frame[key] = [_count(value, path.name, sheet, first_row + index, key, problems)
                          for index, value in enumerate(frame[key])]
    if problems:
        raise InputError(problems[:50])
    for key in ("province", "district", "cluster_code", "cluster_name"):
        if key in frame.columns:
            frame[key] = [clean_text(value) for value in frame[key]]
    return frame[frame["cluster_code"].astype(str) != ""].reset_index(drop=True)


def _cluster_field(header: object) -> str | None:
    key = header_key(header)
    for column in CLUSTERS.fields:
        if key in {header_key(name) for name in (column.key, column.label, *column.aliases)}:
            return column.key
    return {"code": "cluster_code", "cluster": "cluster_code", "name": "cluster_name",
            "prov": "province", "dist": "district"}.get(key)


def _count(value: object, file: str, sheet: str, row: int, key: str,
           problems: list[tuple[Location, str]]) -> int | None:
    try:
        return to_whole_number(value)
    except ValueError as reason:
        label = CLUSTERS.fields[[f.key for f in CLUSTERS.fields].index(key)].label
        problems.append((Location(file=file, sheet=sheet, row=row, column=label),
                         f"{label} '{clean_text(value)}' {reason}"))
        return None


def _first_sheet(path: Path) -> tuple[pd.DataFrame, str, int]:
    from clusterbook.excel.read import iter_sheets, open_workbook

    book = open_workbook(path)
    try:
        for sheet in iter_sheets(book, file=path.name):
            for index, row in enumerate(sheet.rows[:20]):
                if any(_cluster_field(cell) == "cluster_code" for cell in row):
                    headers = [str(cell).strip() for cell in row]
                    body = [list(values) + [""] * (len(headers) - len(values))
                            for values in sheet.rows[index + 1:]]
                    frame = pd.DataFrame([values[:len(headers)] for values in body],
                                         columns=headers, dtype=object)
                    return frame, sheet.name, index + 2
    finally:
        book.close()
    raise WorkbookError(path.name, "no sheet has a 'Cluster code' column")
