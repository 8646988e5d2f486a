"""The flags book: what `clusterbook flags --out FLAGS.xlsx` writes for the regional team.

Sheets: Current (each cluster's status in the last round, highest priority first), Flags (every
cluster in every round, as an Excel Table), Summary (per district with province and region
totals), About (parameters, each round's benchmark, where the data came from).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook import __version__
from clusterbook.csvtable import write_csv
from clusterbook.domain.errors import InputError
from clusterbook.domain.rules import RuleParameters
from clusterbook.domain.summary import SUMMARY_COLUMNS, latest_status, summary_headers
from clusterbook.excel.cells import MAX_ROWS
from clusterbook.excel.write import BookFormats, new_workbook, print_ready
from clusterbook.styles import STATUS_COLOURS

#: Flags columns in the book, with their headers, widths and kinds.
FLAG_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("province", "Province", 16, "text"),
    ("district", "District", 14, "text"),
    ("cluster_code", "Cluster code", 12, "text"),
    ("cluster_name", "Cluster name", 24, "text"),
    ("round", "Round", 9, "label"),
    ("pca_coverage", "PCA coverage (%)", 11, "percent"),
    ("refusal_rate", "Refusal rate (%)", 11, "percent"),
    ("benchmark", "Benchmark (%)", 11, "percent"),
    ("status", "Status", 15, "text"),
    ("reasons", "Reasons", 36, "text"),
    ("entered_round", "Entered the list", 10, "label"),
    ("exited_round", "Left the list", 10, "label"),
    ("rounds_on_list", "Rounds on the list", 9, "count"),
    ("priority", "Priority", 8, "count"),
    ("missed_children", "Missed children", 10, "count"),
)


def write_flags_book(flags: pd.DataFrame, path: Path | str, *,
                     parameters: RuleParameters | None = None, source: str = "",
                     notice: str = "") -> Path:
    """Write the flags book atomically and return its path."""
    path = Path(path)
    parameters = parameters or flags.attrs.get("parameters") or RuleParameters()
    if len(flags) + 1 > MAX_ROWS:
        raise InputError(f"{len(flags):,} rows do not fit in one Excel sheet "
                         f"({MAX_ROWS:,} rows at most); write a .csv file instead")
    summary = _summary(flags, parameters)
    with new_workbook(path) as book:
        formats = _Formats(book)
        _table_sheet(book, formats, "Current", current_view(flags), "CurrentStatus",
                     title=f"Status in {_round_text(flags)}, highest priority first")
        _table_sheet(book, formats, "Flags", flags, "Flags",
                     title="Every cluster in every round")
        _summary_sheet(book, formats, summary, parameters)
        _about_sheet(book, formats, flags, parameters, source, notice)
    return path


def current_view(flags: pd.DataFrame) -> pd.DataFrame:
    """Each cluster's row in the last round, listed clusters by priority first."""
    return latest_status(flags).sort_values(
        ["priority", "status", "cluster_code"], ascending=[True, False, True],
        na_position="last", kind="stable")


def _summary(flags: pd.DataFrame, parameters: RuleParameters) -> pd.DataFrame:
    from clusterbook.domain.summary import summarize

    return summarize(flags, parameters=parameters)


def _round_text(flags: pd.DataFrame) -> str:
    rounds = flags.attrs.get("rounds") or list(flags["round"].cat.categories)
    return str(rounds[-1]) if rounds else "the last round"


class _Formats(BookFormats):
    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        self.percent = book.add_format({"num_format": "0.0"})
        self.count = book.add_format({"num_format": "#,##0"})
        self.bold = book.add_format({"bold": True})
        self.bold_count = book.add_format({"bold": True, "num_format": "#,##0"})
        self.status = {name: book.add_format({"bg_color": colour.fill, "font_color": colour.text})
                       for name, colour in STATUS_COLOURS.items()}


def _cell_values(frame: pd.DataFrame, column: str) -> list[Any]:
    values = frame[column].astype(object)
    return [None if value is None or (isinstance(value, float) and np.isnan(value))
            or value is pd.NA else _plain(value) for value in values.tolist()]


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _table_sheet(book: Workbook, formats: _Formats, name: str, frame: pd.DataFrame,
                 table_name: str, *, title: str) -> Worksheet:
    sheet = book.add_worksheet(name)
    sheet.write(0, 0, title, formats.title)
    header_row, first = 2, 3
    columns = [spec for spec in FLAG_COLUMNS if spec[0] in frame.columns]
    kind_format = {"percent": formats.percent, "count": formats.count}
    for index, (key, _, width, kind) in enumerate(columns):
        sheet.set_column(index, index, width, kind_format.get(kind))
        values = _cell_values(frame, key)
        for offset, value in enumerate(values):
            if value is not None:
                sheet.write(first + offset, index, value)
    last = first + max(len(frame), 1) - 1
    sheet.add_table(header_row, 0, last, len(columns) - 1, {
        "name": table_name,
        "style": "Table Style Light 9",
        "columns": [{"header": header, "header_format": formats.header}
                    for _, header, _, _ in columns],
    })
    status_index = [key for key, *_ in columns].index("status")
    for status, fmt in formats.status.items():
        sheet.conditional_format(first, status_index, last, status_index, {
            "type": "cell", "criteria": "==", "value": f'"{status}"', "format": fmt})
    sheet.set_row(header_row, 30)
    sheet.freeze_panes(first, 4 if name == "Flags" else 3)
    print_ready(sheet, header_row=header_row)
    return sheet


def _summary_sheet(book: Workbook, formats: _Formats, summary: pd.DataFrame,
                   parameters: RuleParameters) -> None:
    sheet = book.add_worksheet("Summary")
    headers = summary_headers(parameters)
    at_round, since = summary.attrs.get("round", ""), summary.attrs.get("since", "")
    sheet.write(0, 0, f"Clusters by district in {at_round}", formats.title)
    sheet.write(1, 0, f"Share below {parameters.exit_benchmark:g}% counts the rounds "
                      f"{since} to {at_round}.", formats.note)
    columns = [column for column in SUMMARY_COLUMNS if column != "level"]
    widths = {"province": 16, "district": 16}
    for index, column in enumerate(columns):
        sheet.set_column(index, index, widths.get(column, 12))
        sheet.write(3, index, headers[column], formats.header)
    sheet.set_row(3, 45)
    for offset, row in enumerate(summary.itertuples(index=False), start=4):
        total = row.level != "district"
        for index, column in enumerate(columns):
            value = _plain(getattr(row, column))
            if isinstance(value, float) and np.isnan(value):
                continue
            if isinstance(value, str):
                sheet.write_string(offset, index, value, formats.bold if total else None)
            else:
                sheet.write_number(offset, index, value,
                                   formats.bold_count if total else formats.count)
    sheet.freeze_panes(4, 2)
    print_ready(sheet, header_row=3)


def _about_sheet(book: Workbook, formats: _Formats, flags: pd.DataFrame,
                 parameters: RuleParameters, source: str, notice: str) -> None:
    sheet = book.add_worksheet("About")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 60)
    sheet.write(0, 0, "About these flags", formats.title)
    rows: list[tuple[str, Any]] = [
        ("Made by", f"ClusterBook {__version__}"),
        ("Made on", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("Round data", source or "(not a file)"),
        ("Rounds to enter or leave the list (N)", parameters.rounds),
        ("Refusal is high above (%)", parameters.refusal_threshold),
        ("Coverage is good above (%)", parameters.exit_benchmark),
    ]
    if notice:
        rows.insert(0, ("Note", notice))
    for offset, (label, value) in enumerate(rows, start=2):
        sheet.write_string(offset, 0, label, formats.bold)
        sheet.write(offset, 1, value)
    start = len(rows) + 3
    sheet.write_string(start, 0, "Round", formats.header)
    sheet.write_string(start, 1, "Benchmark (%)", formats.header)
    benchmarks = flags.groupby("round", observed=True, sort=True)["benchmark"].first()
    for offset, (label, value) in enumerate(benchmarks.items(), start=start + 1):
        sheet.write(offset, 0, _plain(label))
        if not np.isnan(value):
            sheet.write_number(offset, 1, round(float(value), 2), formats.percent)


def write_flags_csv(flags: pd.DataFrame, path: Path | str, columns: Sequence[str] | None = None
                    ) -> Path:
    """Write the flags as CSV (UTF-8 with a byte-order mark, so Excel reads it right)."""
    return write_csv(flags, path, columns=columns, float_format="%.10g")
