"""The flags book: what `clusterbook flags --out FLAGS.xlsx` writes for a regional or national
team.

Sheets: Current (each cluster's status in the last round, highest priority first; prints the
low-performing list), Summary (per district with province and region totals), Rounds (every
cluster's status in every round as a cluster x round grid), Flags (every cluster in every round
with values and reasons, when it fits one sheet), About (parameters, each round's benchmark,
where the data came from). The book holds values only, no formulas.

XlsxWriter writes every sheet's settings, titles and headers; the long sheets' data rows are then
put into the saved book as XML built from each column's distinct values (excel.sheet_rows), so a
national book (100,000 clusters x 24 rounds) costs seconds, not a minute of per-cell calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.workbook import Workbook

from clusterbook import __version__
from clusterbook.domain.rule_parameters import (
    DEFAULT_PARAMETERS,
    STATUS_LABELS,
    RuleParameters,
    Status,
)
from clusterbook.domain.summary import SUMMARY_COLUMNS, latest_status, summary_headers
from clusterbook.excel.csv_table import write_csv
from clusterbook.excel.sheet_rows import SheetRows, fill_rows
from clusterbook.excel.write import SAFE_OPTIONS, BookFormats, atomic_path, print_ready
from clusterbook.forms.cells import MAX_ROWS
from clusterbook.styles import STATUS_COLOURS

#: Flags columns in the book, with their headers, widths and kinds.
FLAG_COLUMNS: tuple[tuple[str, str, float, str], ...] = (
    ("province", "Province", 14, "text"),
    ("district", "District", 14, "text"),
    ("cluster_code", "Cluster code", 12, "text"),
    ("cluster_name", "Cluster name", 22, "text"),
    ("round", "Round", 8, "label"),
    ("pca_coverage", "PCA coverage (%)", 10, "percent"),
    ("refusal_rate", "Refusal rate (%)", 10, "percent"),
    ("benchmark", "Benchmark (%)", 11, "percent"),
    ("status", "Status", 15, "text"),
    ("reasons", "Reasons", 36, "text"),
    ("entered_round", "Entered the list", 9, "label"),
    ("exited_round", "Left the list", 9, "label"),
    ("rounds_on_list", "Rounds on the list", 9, "count"),
    ("priority", "Priority", 8, "count"),
    ("missed_children", "Missed children", 10, "count"),
)

#: Status words in the Rounds grid (a legend above it spells them out).
GRID_WORDS = {**{label: label for label in STATUS_LABELS}, Status.LOW_PERFORMING.label: "Low"}
_HEADER_ROW, _FIRST_ROW = 2, 3  # 0-based: headers on row 3, data from row 4
_REASON_WIDTH_LIMIT = 60
#: The Current sheet prints at most this many listed clusters (about ten pages).
PRINTED_LIST_LIMIT = 500


def write_flags_book(flags: pd.DataFrame, path: Path | str, *,
                     parameters: RuleParameters | None = None, source: str = "",
                     notice: str = "", summary: pd.DataFrame | None = None) -> Path:
    """Write the flags book atomically and return its path. ``parameters`` are those the flags
    were classified with (default: the framework's); the book states them."""
    path = Path(path)
    parameters = parameters or DEFAULT_PARAMETERS
    summary = summary if summary is not None else _summary(flags, parameters)
    long_table_fits = len(flags) + _FIRST_ROW < MAX_ROWS
    with atomic_path(path) as temporary:
        book = xlsxwriter.Workbook(str(temporary), {**SAFE_OPTIONS, "constant_memory": True})
        try:
            formats = _Formats(book)
            current = current_view(flags)
            listed = int((current["status"] == Status.LOW_PERFORMING.label).sum())
            printed = min(listed, PRINTED_LIST_LIMIT)
            what = (f"the {listed:,} low-performing clusters" if printed == listed else
                    f"the {printed:,} low-performing clusters of highest priority "
                    f"(of {listed:,})")
            long_sheets = [_table_sheet(
                book, formats, "Current", current,
                title=f"Status in {_round_text(flags)}, highest priority first",
                note=f"Prints {what}; the sheet lists all {len(current):,} clusters.",
                print_rows=printed)]
            _summary_sheet(book, formats, summary, parameters)
            long_sheets.append(_rounds_sheet(book, formats, flags))
            if long_table_fits:
                long_sheets.append(_table_sheet(
                    book, formats, "Flags", flags, title="Every cluster in every round",
                    note="Not set to print: select rows and print the selection.",
                    print_rows=0))
            _about_sheet(book, formats, flags, parameters, source, notice, long_table_fits)
        finally:
            book.close()
        # The long sheets' rows go straight into the saved book (see excel.sheet_rows).
        fill_rows(temporary, long_sheets)
    return path


def current_view(flags: pd.DataFrame, at_round: Hashable | None = None) -> pd.DataFrame:
    """Each cluster's row in a round (default the last), listed clusters by priority first."""
    return latest_status(flags, at_round).sort_values(
        ["priority", "status", "cluster_code"], ascending=[True, False, True],
        na_position="last", kind="stable")


def _summary(flags: pd.DataFrame, parameters: RuleParameters) -> pd.DataFrame:
    from clusterbook.domain.summary import summarize

    return summarize(flags, parameters=parameters)


def _round_text(flags: pd.DataFrame) -> str:
    rounds = flags.attrs.get("rounds") or list(flags["round"].cat.categories)
    return str(_plain(rounds[-1])) if rounds else "the last round"


class _Formats(BookFormats):
    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        self.percent = book.add_format({"num_format": "0.0"})
        self.count = book.add_format({"num_format": "#,##0"})
        self.bold = book.add_format({"bold": True})
        self.bold_count = book.add_format({"bold": True, "num_format": "#,##0"})
        self.label = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        self.value = book.add_format({"valign": "top", "text_wrap": True, "align": "left"})
        self.grid = book.add_format({"align": "center"})
        # Data rows written as XML name their formats by index; fix the indices now.
        for fmt in (self.percent, self.count, self.grid):
            fmt._get_xf_index()
        self.status = {name: book.add_format({"bg_color": colour.fill, "font_color": colour.text})
                       for name, colour in STATUS_COLOURS.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date):  # a round labelled by its date, in the books' date style
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str) and not value:
        return None
    return value


def _reason_width(frame: pd.DataFrame) -> float:
    """Wide enough for the longest reason (so no reason runs into the next column)."""
    reasons = frame["reasons"]
    texts = reasons.cat.categories if isinstance(reasons.dtype, pd.CategoricalDtype) \
        else reasons.dropna().unique()
    longest = max((len(str(text)) for text in texts), default=0)
    return float(min(max(longest + 2, 12), _REASON_WIDTH_LIMIT))


def _table_sheet(book: Workbook, formats: _Formats, name: str, frame: pd.DataFrame, *,
                 title: str, note: str, print_rows: int) -> SheetRows:
    """A long table with a filter (its rows to be filled in, see ``fill_rows``); the header
    and the first ``print_rows`` rows print (only the header when 0)."""
    sheet = book.add_worksheet(name)
    columns = [spec for spec in FLAG_COLUMNS if spec[0] in frame.columns]
    kind_format = {"percent": formats.percent, "count": formats.count}
    values = {key: _label_texts(frame[key]) if kind == "label" else frame[key]
              for key, _, _, kind in columns}
    for index, (key, _, width, kind) in enumerate(columns):
        if key == "reasons":
            width = _reason_width(frame)
        if kind == "label":
            width = max(width, _longest(values[key]) + 1)
        sheet.set_column(index, index, width, kind_format.get(kind))
    sheet.write(0, 0, title, formats.title)
    sheet.write(1, 0, note, formats.note)
    sheet.set_row(_HEADER_ROW, 45)  # three lines: whole wrapped headers
    for index, (_, header, _, _) in enumerate(columns):
        sheet.write_string(_HEADER_ROW, index, header, formats.header)
    last = _FIRST_ROW + max(len(frame), 1) - 1
    sheet.autofilter(_HEADER_ROW, 0, last, len(columns) - 1)
    status_index = [key for key, *_ in columns].index("status")
    for status, fmt in formats.status.items():
        sheet.conditional_format(_FIRST_ROW, status_index, last, status_index, {
            "type": "cell", "criteria": "==", "value": f'"{status}"', "format": fmt})
    sheet.freeze_panes(_FIRST_ROW, 4 if name == "Flags" else 3)
    print_ready(sheet, header_row=_HEADER_ROW)
    sheet.print_area(0, 0, _HEADER_ROW + print_rows, len(columns) - 1)
    styles = [kind_format[kind].xf_index if kind in kind_format else 0
              for _, _, _, kind in columns]
    return SheetRows(sheet.index, [values[key] for key, *_ in columns], styles, _FIRST_ROW + 1)


def _label_texts(labels: pd.Series) -> pd.Series:
    """Round labels as the book shows them: dates in the books' date style (31/12/2025)."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        categories = labels.cat.categories
        if not any(isinstance(label, dt.date) for label in categories):
            return labels
        return labels.cat.rename_categories([_plain(label) for label in categories])
    return labels.map(_plain)


def _longest(texts: pd.Series) -> int:
    """The length of the longest value's text (of the categories, when categorical)."""
    distinct = texts.cat.categories if isinstance(texts.dtype, pd.CategoricalDtype) \
        else texts.dropna().unique()
    return max((len(str(text)) for text in distinct), default=0)


def _rounds_sheet(book: Workbook, formats: _Formats, flags: pd.DataFrame) -> SheetRows:
    """Every cluster's status in every round: one row per cluster, one column per round."""
    sheet = book.add_worksheet("Rounds")
    places, labels, grid = status_grid(flags)
    place_columns = [("Province", 14), ("District", 14), ("Cluster code", 12),
                     ("Cluster name", 22)]
    for index, (_, width) in enumerate(place_columns):
        sheet.set_column(index, index, width)
    first_round = len(place_columns)
    headers = [header for header, _ in place_columns] + [str(_plain(label)) for label in labels]
    sheet.set_column(first_round, first_round + len(labels) - 1,
                     max([8.5, *(len(header) + 1.5 for header in headers[first_round:])]),
                     formats.grid)
    sheet.write(0, 0, "Status in every round", formats.title)
    sheet.write(1, 0, "Low = low performing. Not set to print (" f"{len(places):,} clusters x "
                      f"{len(labels)} rounds): select rows and print the selection.",
                formats.note)
    sheet.set_row(_HEADER_ROW, 30)
    for index, header in enumerate(headers):
        sheet.write_string(_HEADER_ROW, index, header, formats.header)
    last = _FIRST_ROW + max(len(places), 1) - 1
    last_column = first_round + len(labels) - 1
    sheet.autofilter(_HEADER_ROW, 0, last, last_column)
    for status, fmt in formats.status.items():
        sheet.conditional_format(_FIRST_ROW, first_round, last, last_column, {
            "type": "cell", "criteria": "==", "value": f'"{GRID_WORDS[status]}"', "format": fmt})
    sheet.freeze_panes(_FIRST_ROW, first_round)
    print_ready(sheet, header_row=_HEADER_ROW)
    sheet.print_area(0, 0, _HEADER_ROW, last_column)
    words = pd.Index([GRID_WORDS[status] for status in STATUS_ORDER])
    rounds = [pd.Series(pd.Categorical.from_codes(grid[:, index], categories=words))
              for index in range(len(labels))]
    columns = [places[key] for key in places.columns] + rounds
    styles = [0] * len(place_columns) + [formats.grid.xf_index] * len(labels)
    return SheetRows(sheet.index, columns, styles, _FIRST_ROW + 1)


#: Status words in the order of the grid's codes (the status codes).
STATUS_ORDER = STATUS_LABELS


def status_grid(flags: pd.DataFrame) -> tuple[pd.DataFrame, list[Any], np.ndarray]:
    """The clusters (province, district, code, name, in order of appearance), the rounds in
    order, and a (cluster x round) grid of status codes (indices into ``STATUS_ORDER``, -1 for
    a cluster without a row in a round)."""
    cluster_codes, clusters = pd.factorize(flags["cluster_code"].astype(object)
                                           if not isinstance(flags["cluster_code"].dtype,
                                                             pd.CategoricalDtype)
                                           else flags["cluster_code"])
    rounds = flags.attrs.get("rounds") or list(flags["round"].cat.categories)
    round_of = {label: index for index, label in enumerate(rounds)}
    round_index = flags["round"].map(round_of).to_numpy(dtype=np.int64)
    status = pd.Categorical(flags["status"].astype(object), categories=list(STATUS_ORDER))
    grid = np.full((len(clusters), len(rounds)), -1, dtype=np.int8)
    grid[cluster_codes, round_index] = status.codes
    first = pd.Series(np.arange(len(flags))).groupby(cluster_codes).first().to_numpy()
    places = flags.iloc[first][["province", "district", "cluster_code", "cluster_name"]]
    return places.reset_index(drop=True), list(rounds), grid


def _summary_sheet(book: Workbook, formats: _Formats, summary: pd.DataFrame,
                   parameters: RuleParameters) -> None:
    sheet = book.add_worksheet("Summary")
    headers = summary_headers(parameters)
    at_round, since = summary.attrs.get("round", ""), summary.attrs.get("since", "")
    at_round, since = _plain(at_round), _plain(since)
    sheet.write(0, 0, f"Clusters by district in {at_round}", formats.title)
    sheet.write(1, 0, f"Share below {parameters.exit_benchmark:g}% counts the rounds "
                      f"{since} to {at_round}.", formats.note)
    columns = [column for column in SUMMARY_COLUMNS if column != "level"]
    widths = {"province": 16, "district": 16}
    sheet.set_row(3, 60)  # four lines: whole wrapped headers
    for index, column in enumerate(columns):
        sheet.set_column(index, index, widths.get(column, 12))
        sheet.write(3, index, headers[column], formats.header)
    for offset, row in enumerate(summary.itertuples(index=False), start=4):
        total = row.level != "district"
        for index, column in enumerate(columns):
            value = _plain(getattr(row, column))
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if isinstance(value, str):
                sheet.write_string(offset, index, value, formats.bold if total else None)
            else:
                sheet.write_number(offset, index, value,
                                   formats.bold_count if total else formats.count)
    sheet.freeze_panes(4, 2)
    print_ready(sheet, header_row=3)


def _about_sheet(book: Workbook, formats: _Formats, flags: pd.DataFrame,
                 parameters: RuleParameters, source: str, notice: str,
                 long_table: bool) -> None:
    sheet = book.add_worksheet("About")
    widths = (38, 60)
    sheet.set_column(0, 0, widths[0])
    sheet.set_column(1, 1, widths[1])
    sheet.write(0, 0, "About these flags", formats.title)
    rows: list[tuple[str, Any]] = [
        ("Made by", f"ClusterBook {__version__}"),
        ("Made on", f"{dt.datetime.now():%d/%m/%Y %H:%M}"),
        ("Round data", source or "(not a file)"),
        ("Rounds to enter or leave the list (N)", parameters.rounds),
        ("Refusal is high above (%)", parameters.refusal_threshold),
        ("Coverage is good above (%)", parameters.exit_benchmark),
    ]
    if not long_table:
        rows.append(("Every cluster in every round",
                     f"{len(flags):,} rows do not fit one sheet: the Rounds sheet shows each "
                     f"status; write the whole table with --out FLAGS.csv."))
    if notice:
        rows.insert(0, ("Note", notice))
    for offset, (label, value) in enumerate(rows, start=2):
        lines = max(_lines(label, widths[0]), _lines(str(value), widths[1]))
        if lines > 1:
            sheet.set_row(offset, 15 * lines)
        sheet.write_string(offset, 0, label, formats.label)
        sheet.write(offset, 1, value, formats.value)
    start = len(rows) + 3
    sheet.write_string(start, 0, "Round", formats.header)
    sheet.write_string(start, 1, "Benchmark (%)", formats.header)
    benchmarks = flags.groupby("round", observed=True, sort=True)["benchmark"].first()
    for offset, (label, value) in enumerate(benchmarks.items(), start=start + 1):
        sheet.write(offset, 0, _plain(label))
        if not np.isnan(value):
            sheet.write_number(offset, 1, round(float(value), 2), formats.percent)
    print_ready(sheet, header_row=start, landscape=False)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (roughly)."""
    return max(1, -(-len(text) // int(width)))


def write_flags_csv(flags: pd.DataFrame, path: Path | str, columns: Sequence[str] | None = None
                    ) -> Path:
    """Write the flags as CSV (UTF-8 with a byte-order mark, so Excel reads it right)."""
    return write_csv(flags, path, columns=columns, float_format="%.10g")
