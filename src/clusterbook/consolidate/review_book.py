"""The review book: written with XlsxWriter, read back with python-calamine.

Sheets: Summary (counts per district and province, two charts), Feedback (one row per cluster;
the reviewers' columns), one sheet per form sheet with every row of every current submission
and its provenance, Issues (every finding), Superseded (every submission that is not current,
and why), Files (every file and what became of it), and the hidden form sheet that marks the
book as a review book. A review book holds everything needed to rebuild its rows, so a
provincial book is a valid input to the regional merge. What it reads back as codes (why a form
is not current, what became of a file) sits in hidden columns beside the words people read;
the words are never parsed, except in books written before those columns were kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook import __version__
from clusterbook.consolidate.layout import (
    BACKUPS_FOLDER,
    CLIPPED,
    FEEDBACK,
    FEEDBACK_ALIASES,
    FEEDBACK_COLUMNS,
    FEEDBACK_TITLE,
    FILE_COLUMNS,
    FILES,
    HEADER_ROW,
    HEADER_SEARCH_ROWS,
    ISSUE_COLUMNS,
    ISSUES,
    MARK_ROWS,
    PROVENANCE,
    REVIEWER_COLUMNS,
    SUMMARY,
    SUPERSEDED,
    SUPERSEDED_COLUMNS,
    Column,
    DataSheet,
    data_sheets,
    find_header,
)
from clusterbook.domain.consolidation import (
    COPY_WORDS,
    PRIORITIES,
    REVIEW_BOOK_ID,
    REVIEW_BOOK_VERSION,
    REVIEW_STATUSES,
    SUMMARY_COLUMNS,
    Entry,
    FileOutcome,
    Review,
    ReviewerNote,
    Source,
    SourceRow,
    entries_of,
    form_name,
    group_of,
)
from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.levels import Level
from clusterbook.domain.outcomes import MergeOutcome, Outcome, Replacement, code_of
from clusterbook.domain.typed_values import typed_value
from clusterbook.domain.values import clean_text, to_date
from clusterbook.excel.intake import Intake, open_intake
from clusterbook.excel.read import open_workbook, read_sheet
from clusterbook.excel.sheet_rows import SheetRows
from clusterbook.excel.write import (
    DATE_FORMAT,
    MOMENT_FORMAT,
    BookFormats,
    new_workbook,
    print_ready,
    stamp_moment,
    stamp_text,
    stamp_words,
)
from clusterbook.forms import ACTION_PLAN, FORM_SHEET, FORMS, MICROPLAN, Form, Kind
from clusterbook.forms.cells import MAX_ROWS
from clusterbook.forms.schema import FORM_ID_ROW, FORM_VERSION_ROW
from clusterbook.styles import FINDING_COLOURS, HEADER, INPUT_CELL, STATUS_COLOURS

#: The widest a column grows to show its longest value whole (longer values wrap).
WIDEST: Final = 72.0
#: The longest text a cell holds; XlsxWriter cuts longer text there.
_MAX_TEXT: Final = 32_767
#: Feedback rows below the last cluster that keep the dropdowns, for rows reviewers add.
_SPARE_FEEDBACK_ROWS: Final = 200
_REVIEW_COLOURS: Final = {"Accepted": STATUS_COLOURS["On track"],
                          "Returned": STATUS_COLOURS["Low performing"],
                          "Pending": STATUS_COLOURS["Watch"]}
#: Sheets other than Feedback are rebuilt at every merge; they are protected (no password)
#: so that nobody types a review where it would be lost.
_PROTECTION: Final = {"autofilter": True, "sort": False, "format_columns": True,
                      "format_rows": True, "select_locked_cells": True,
                      "select_unlocked_cells": True}
REBUILT_NOTE: Final = ("Rebuilt at every merge from the submitted files; type your review on "
                       "the Feedback sheet.")


@dataclass(frozen=True)
class BookInfo:
    """What the hidden form sheet records besides the form id and version."""

    level: str = Level.REGION
    merge: str = ""
    written: str = ""
    clusters: str = ""
    folder: str = ""

    def values(self) -> dict[str, str]:
        return {"level": self.level, "merge": self.merge, "written": self.written,
                "clusters": self.clusters, "folder": self.folder}


# --- writing --------------------------------------------------------------------------------------

class _Formats(BookFormats):
    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        add = book.add_format
        self.reviewer_header = add({"bold": True, "bg_color": "7F6000",
                                    "font_color": "FFFFFF", "text_wrap": True,
                                    "valign": "vcenter", "border": 1,
                                    "border_color": "FFFFFF"})
        self.count = add({"num_format": "#,##0"})
        self.bold = add({"bold": True})
        self.bold_count = add({"bold": True, "num_format": "#,##0", "top": 1})
        self.bold_total = add({"bold": True, "top": 1})
        self.input = add({"locked": False, "bg_color": INPUT_CELL.fill, "border": 1,
                          "border_color": "BFBFBF", "num_format": "@"})
        self.input_wrap = add({"locked": False, "bg_color": INPUT_CELL.fill, "border": 1,
                               "border_color": "BFBFBF", "num_format": "@", "text_wrap": True})
        self.findings = {severity: add({"bg_color": colour.fill, "font_color": colour.text})
                         for severity, colour in FINDING_COLOURS.items()}
        self.review = {status: add({"bg_color": colour.fill, "font_color": colour.text})
                       for status, colour in _REVIEW_COLOURS.items()}

        self._book = book
        self._cells: dict[tuple[str, bool], Format] = {}

    def cells(self, kind: str, *, top: bool = False) -> Format | None:
        """The format of a column's cells: 'wrap', 'date', 'moment', 'count', 'small count' or
        'text';
        ``top`` aligns them to the top, as rows with wrapped text need."""
        options = {"wrap": {"text_wrap": True, "valign": "top"},
                   "date": {"num_format": DATE_FORMAT, "align": "left"},
                   "moment": {"num_format": MOMENT_FORMAT, "align": "left"},
                   "count": {"num_format": "#,##0"},
                   "small count": {"num_format": "0", "align": "center"},
                   "text": {}}[kind]
        if top:
            options = {**options, "valign": "top"}
        if not options:
            return None
        if (kind, top) not in self._cells:
            self._cells[(kind, top)] = self._book.add_format(options)
        return self._cells[(kind, top)]

    def column(self, column: Column, *, top: bool = False) -> Format | None:
        if column.wrap:
            return self.cells("wrap")
        if column.kind is Kind.DATE:
            return self.cells("date", top=top)
        if column.kind is Kind.COUNT:
            # Counts the tool adds (rows, sizes, errors) are centred, clear of the text beside.
            return self.cells("count" if column.field is not None else "small count", top=top)
        return self.cells("text", top=top)


def write_review_book(review: Review, path: Path, *, info: BookInfo, notice: str = "",
                      pause: Callable[[], None] | None = None) -> Path:
    """Write the review book to ``path`` (atomically, through ``new_workbook``).

    ``pause`` is called once the sheets are laid out, before the file is written (a hook that
    lets a test stop the process in the middle of a write).
    """
    sheets = data_sheets()
    long_sheets: list[SheetRows] = []
    with new_workbook(path, rows=long_sheets, constant_memory=False) as book:
        book.set_properties({"title": _title(review), "company": "ClusterBook",
                             "comments": f"ClusterBook {__version__}"})
        formats = _Formats(book)
        _summary_sheet(book, formats, review, info, notice)
        _feedback_sheet(book, formats, review)
        for sheet in sheets:
            entries = [entry for entry in review.current if entry.form_id == sheet.form.form_id]
            long_sheets.append(_data_sheet(book, formats, sheet, entries))
        _issues_sheet(book, formats, review)
        _superseded_sheet(book, formats, review)
        _files_sheet(book, formats, review)
        _mark_sheet(book, info)
        book.worksheets()[0].activate()
        if pause is not None:
            pause()
    return path


def _title(review: Review) -> str:
    if review.level == Level.PROVINCE:
        provinces = [name for name in review.provinces["province"].tolist() if name != "All"]
        return "Provincial review book" + (f": {', '.join(provinces)}" if provinces else "")
    return "Regional review book"


def _write_header(sheet: Worksheet, formats: _Formats, columns: Sequence[Column], *,
                  reviewer: Iterable[str] = ()) -> None:
    """The header row, and each column's width and format (cells of a sheet with wrapped
    text are aligned to the top, so that a row reads as one)."""
    reviewer = set(reviewer)
    top = any(column.wrap for column in columns)
    for index, column in enumerate(columns):
        sheet.write_string(HEADER_ROW - 1, index, column.header,
                           formats.reviewer_header if column.key in reviewer else formats.header)
        sheet.set_column(index, index, column.width, formats.column(column, top=top),
                         {"hidden": True} if column.hidden else None)
    # Tall enough for the longest header, wrapped whole in its column (bold: fewer letters).
    lines = max(header_lines(column.header, column.width) for column in columns)
    sheet.set_row(HEADER_ROW - 1, max(32, 15 * lines + 2))


def header_lines(text: str, width: float) -> int:
    """Lines a bold header takes, wrapped at spaces in a column ``width`` characters wide."""
    lines, length = 1, 0
    for word in text.split():
        if length and length + 1 + len(word) > width * 0.95:
            lines, length = lines + 1, len(word)
        else:
            length += (1 if length else 0) + len(word)
    return lines


def _lines(text: object, width: float) -> int:
    """About how many lines a wrapped text takes in a column ``width`` characters wide."""
    return max(1, -(-len(str(text)) // max(int(width * 1.1), 1)))


def fit_row(sheet: Worksheet, row: int, values: Sequence[object],
            wrapped: dict[int, float]) -> None:
    """Make a row tall enough for its wrapped texts (spreadsheets do not do it on opening)."""
    lines = max((_lines(values[column], width) for column, width in wrapped.items()
                 if column < len(values) and values[column]), default=1)
    if lines > 1:
        sheet.set_row(row, 15 * lines + 2)


def _wrapped(columns: Sequence[Column]) -> dict[int, float]:
    return {index: column.width for index, column in enumerate(columns) if column.wrap}


def _write_rows(sheet: Worksheet, formats: _Formats, rows: Iterable[Sequence[object]],
                first_row: int, wrapped: dict[int, float] | None = None,
                longest: dict[int, int] | None = None) -> int:
    """Write rows of plain values; text is always written as text, time stamps as date-time
    cells. Returns the next row; ``longest`` collects each column's longest value shown."""
    write_string, write_number = sheet.write_string, sheet.write_number
    write_datetime, date_format = sheet.write_datetime, formats.cells("date", top=bool(wrapped))
    moment_format = formats.cells("moment", top=bool(wrapped))
    longest = {} if longest is None else longest
    row = first_row
    for values in rows:
        if wrapped:
            fit_row(sheet, row, values, wrapped)
        if row >= MAX_ROWS:
            raise WorkbookError(sheet.name, f"more than {MAX_ROWS:,} rows do not fit in one "
                                            f"Excel sheet")
        for column, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                moment = stamp_moment(value)
                if moment is not None:
                    write_datetime(row, column, moment, moment_format)
                elif value:
                    write_string(row, column, value)  # type: ignore[arg-type]
            elif kind is int or kind is float:
                write_number(row, column, value)  # type: ignore[arg-type]
            elif kind is dt.date or kind is dt.datetime:
                write_datetime(row, column, value, date_format)  # type: ignore[arg-type]
            else:
                write_string(row, column, str(value))
        _note_longest(longest, values)
        row += 1
    return row


def _shown(value: object) -> int:
    """How many characters a value takes when shown in its cell."""
    kind = type(value)
    if kind is str:
        return len(MOMENT_FORMAT) if stamp_moment(value) is not None \
            else len(value)  # type: ignore[arg-type]
    if kind is int or kind is float:
        return len(f"{value:,}")
    if kind is dt.date or kind is dt.datetime:
        return 10
    return len(str(value))


def _note_longest(longest: dict[int, int], values: Sequence[object]) -> None:
    """Keep in ``longest`` each column's longest value shown so far."""
    for column, value in enumerate(values):
        if value is not None:
            shown = _shown(value)
            if shown > longest.get(column, 0):
                longest[column] = shown


def _widen(sheet: Worksheet, formats: _Formats, columns: Sequence[Column],
           longest: dict[int, int]) -> None:
    """Widen each column that does not wrap so its longest value shows whole (up to
    WIDEST characters), so that a printed value never runs into the next column."""
    top = any(column.wrap for column in columns)
    for index, column in enumerate(columns):
        wanted = min(WIDEST, longest.get(index, 0) * 1.1 + 1)
        if not (column.wrap or column.hidden) and column.key not in CLIPPED \
                and wanted > column.width:
            sheet.set_column(index, index, wanted, formats.column(column, top=top))


def _finish(sheet: Worksheet, columns: Sequence[Column], last_row: int, *,
            frozen_columns: int = 0, protect: bool = True) -> None:
    sheet.freeze_panes(HEADER_ROW, frozen_columns)
    sheet.autofilter(HEADER_ROW - 1, 0, max(last_row, HEADER_ROW) - 1, len(columns) - 1)
    print_ready(sheet, header_row=HEADER_ROW - 1)
    if protect:
        sheet.protect("", _PROTECTION)


def _data_sheet(book: Workbook, formats: _Formats, layout: DataSheet,
                entries: Sequence[Entry]) -> SheetRows:
    """A data sheet's title, header and settings; its rows, a few hundred thousand cells in a
    region, are returned to be written as worksheet XML (see excel.sheet_rows)."""
    sheet = book.add_worksheet(layout.name)
    columns = layout.columns
    titles = [section.title for section in layout.sections]
    sheet.write_string(0, 0, f"{form_name(layout.form)}s: " + "; ".join(titles), formats.title)
    sheet.write_string(1, 0, f"Every row of every current {form_name(layout.form).lower()}, "
                             f"with where it came from. {REBUILT_NOTE}", formats.note)
    _write_header(sheet, formats, columns)
    rows = [row for entry in entries for row in layout.rows(entry)]
    if HEADER_ROW + len(rows) > MAX_ROWS:
        raise WorkbookError(sheet.name, f"more than {MAX_ROWS:,} rows do not fit in one Excel "
                                        f"sheet")
    longest: dict[int, int] = {}
    for row in rows:
        _note_longest(longest, row)
    _widen(sheet, formats, columns, longest)
    rows = [[_plain(value) for value in row] for row in rows]
    _finish(sheet, columns, HEADER_ROW + len(rows), frozen_columns=len(layout.context) or 1)
    # Printed, a row ends at its source file: the sheet, row, fingerprint and time it was
    # received are for the screen and the Files sheet.
    sheet.print_area(0, 0, HEADER_ROW + max(len(rows), 1) - 1,
                     len(columns) - len(PROVENANCE))
    width = max((len(row) for row in rows), default=len(columns))
    if any(len(row) != width for row in rows):
        rows = [[*row, *[None] * (width - len(row))] for row in rows]
    # Each cell as _write_rows writes it, in its column's format (dates in the date format).
    styles = [_xf_index(formats.column(column)) for column in columns]
    styles += [0] * (width - len(styles))
    cells = [pd.Series(column, dtype=object) for column in zip(*rows, strict=True)] \
        if rows else []
    return SheetRows(sheet.index, cells, styles[:len(cells)], HEADER_ROW + 1,
                     date_style=_xf_index(formats.cells("date")),
                     moment_style=_xf_index(formats.cells("moment")))


def _xf_index(cell_format: Format | None) -> int:
    """A format's index, fixed now: rows written as XML name their formats by index."""
    return 0 if cell_format is None else cell_format._get_xf_index()


def _plain(value: object) -> object:
    """A value as :func:`_write_rows` writes it: a time stamp as its moment, text (cut at
    Excel's limit, as XlsxWriter cuts it; empty text as nothing), a number, a date, or anything
    else as its text."""
    kind = type(value)
    if kind is str:
        moment = stamp_moment(value)
        if moment is not None:
            return moment
        return value[:_MAX_TEXT] if value else None  # type: ignore[index]
    if value is None or kind is int or kind is float or kind is dt.date \
            or kind is dt.datetime:
        return value
    return str(value)[:_MAX_TEXT]


def _feedback_sheet(book: Workbook, formats: _Formats, review: Review) -> None:
    sheet = book.add_worksheet(FEEDBACK)
    extra = [Column(f"{_EXTRA}{header}", header, 16) for header in review.extra_columns]
    columns = (*FEEDBACK_COLUMNS, *extra)
    sheet.write_string(0, 0, FEEDBACK_TITLE, formats.title)
    sheet.write_string(1, 0, "Type in the yellow columns: review status (Accepted, Returned or "
                             "Pending), your comment and the priority. They are kept at every "
                             "merge; the other columns are rebuilt.", formats.note)
    _write_header(sheet, formats, columns,
                  reviewer=(*REVIEWER_COLUMNS, *(column.key for column in extra)))
    keys = [column.key for column in columns]
    inputs = {keys.index("status"): formats.input, keys.index("comment"): formats.input_wrap,
              keys.index("priority"): formats.input,
              **{keys.index(column.key): formats.input for column in extra}}
    comment_width = {keys.index("comment"): columns[keys.index("comment")].width}
    row = HEADER_ROW
    for item in review.feedback:
        values = {"province": item.province, "district": item.district,
                  "cluster_code": item.cluster_code, "cluster_name": item.cluster_name,
                  "status": item.status, "comment": item.comment, "priority": item.priority,
                  "low_performing": "" if item.low_performing is None else
                  ("Yes" if item.low_performing else "No"),
                  "microplan": item.microplan, "action_plan": item.action_plan,
                  "last_received": item.last_received, "updated": "Yes" if item.updated else "",
                  **{column.key: item.extra.get(column.header, "") for column in extra}}
        fit_row(sheet, row, [values[key] for key in keys], comment_width)
        for index, key in enumerate(keys):
            value = values[key]
            if index in inputs:
                sheet.write_string(row, index, str(value), inputs[index])
            elif stamp_moment(value) is not None:
                sheet.write_datetime(row, index, stamp_moment(value), formats.cells("moment"))
            elif value:
                sheet.write_string(row, index, str(value))
        row += 1
    last = row + _SPARE_FEEDBACK_ROWS
    for index, cell_format in inputs.items():
        for spare in range(row, last):
            sheet.write_blank(spare, index, None, cell_format)
    status, priority = keys.index("status"), keys.index("priority")
    sheet.data_validation(HEADER_ROW, status, last - 1, status, {
        "validate": "list", "source": list(REVIEW_STATUSES), "input_title": "Review status",
        "input_message": "Accepted, Returned or Pending.", "error_title": "Review status",
        "error_message": "Pick Accepted, Returned or Pending.", "error_type": "stop"})
    sheet.data_validation(HEADER_ROW, priority, last - 1, priority, {
        "validate": "list", "source": list(PRIORITIES), "input_title": "Priority",
        "input_message": "High, Medium or Low.", "error_type": "warning",
        "error_title": "Priority", "error_message": "The list has High, Medium and Low."})
    for name, cell_format in formats.review.items():
        sheet.conditional_format(HEADER_ROW, status, last - 1, status, {
            "type": "cell", "criteria": "==", "value": f'"{name}"', "format": cell_format})
    _finish(sheet, columns, row, frozen_columns=3, protect=False)


def _issues_sheet(book: Workbook, formats: _Formats, review: Review) -> None:
    sheet = book.add_worksheet(ISSUES)
    columns = ISSUE_COLUMNS
    findings = review.findings()
    errors = sum(1 for finding, *_ in findings if finding.severity is Severity.ERROR)
    sheet.write_string(0, 0, "Issues: every finding in every file", formats.title)
    sheet.write_string(1, 0, f"{errors:,} errors and {len(findings) - errors:,} warnings. "
                             f"Errors keep a submission from counting as valid. {REBUILT_NOTE}",
                       formats.note)
    _write_header(sheet, formats, columns)
    places = _source_places(review.files)
    rows = ([str(finding.severity), finding.rule, finding.message, finding.file, finding.sheet,
             finding.cell, finding.value, *places[id(source)], outcome, source.fingerprint]
            for finding, source, outcome in findings)
    longest: dict[int, int] = {}
    last = _write_rows(sheet, formats, rows, HEADER_ROW, _wrapped(columns), longest)
    _widen(sheet, formats, columns, longest)
    for severity, cell_format in formats.findings.items():
        sheet.conditional_format(HEADER_ROW, 0, last - 1, 0, {
            "type": "cell", "criteria": "==", "value": f'"{severity}"', "format": cell_format})
    _finish(sheet, columns, last)


def _source_places(files: Sequence[FileOutcome]) -> dict[int, tuple[str, str, str]]:
    """Each file's province, district and clusters, from its forms."""
    places = {}
    for item in files:
        source = item.source
        provinces = list(dict.fromkeys(e.province for e in source.entries if e.province))
        districts = list(dict.fromkeys(e.district for e in source.entries if e.district))
        places[id(source)] = (", ".join(provinces), ", ".join(districts),
                              ", ".join(source.clusters))
    return places


def _superseded_sheet(book: Workbook, formats: _Formats, review: Review) -> None:
    sheet = book.add_worksheet(SUPERSEDED)
    columns = SUPERSEDED_COLUMNS
    sheet.write_string(0, 0, "Superseded: submissions that are not current", formats.title)
    sheet.write_string(1, 0, "A newer submission for the same cluster and form replaced each of "
                             "these, or the file is an identical copy of another. Nothing is "
                             f"dropped silently. {REBUILT_NOTE}", formats.note)
    _write_header(sheet, formats, columns)
    rows = ([form_name(FORMS[item.entry.form_id]) if item.entry.form_id in FORMS else "",
             item.entry.province, item.entry.district, item.entry.cluster_code,
             item.entry.file, item.entry.fingerprint, item.entry.received,
             item.entry.submitted, item.reason, item.by, item.why or ""]
            for item in review.replaced)
    longest: dict[int, int] = {}
    last = _write_rows(sheet, formats, rows, HEADER_ROW, _wrapped(columns), longest)
    _widen(sheet, formats, columns, longest)
    _finish(sheet, columns, last)


def _files_sheet(book: Workbook, formats: _Formats, review: Review) -> None:
    sheet = book.add_worksheet(FILES)
    columns = FILE_COLUMNS
    sheet.write_string(0, 0, "Files: every file and what became of it", formats.title)
    sheet.write_string(1, 0, f"{len(review.files):,} files. {REBUILT_NOTE}", formats.note)
    _write_header(sheet, formats, columns)
    places = _source_places(review.files)
    rows = ([item.source.file, item.source.relative, item.source.form_id, item.source.version,
             places[id(item.source)][2], *places[id(item.source)][:2], item.source.size,
             item.source.received, item.source.fingerprint, item.source.errors,
             item.source.warnings, item.outcome, str(item.kind), item.source.via,
             item.code or ""]
            for item in review.files)
    longest: dict[int, int] = {}
    last = _write_rows(sheet, formats, rows, HEADER_ROW, _wrapped(columns), longest)
    _widen(sheet, formats, columns, longest)
    _finish(sheet, columns, last)


def _summary_sheet(book: Workbook, formats: _Formats, review: Review, info: BookInfo,
                   notice: str) -> None:
    sheet = book.add_worksheet(SUMMARY)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, len(SUMMARY_COLUMNS) - 1, 11, formats.count)
    sheet.write_string(0, 0, _title(review), formats.title)
    written = stamp_words(info.written)
    source = f" Cluster list: {info.clusters}." if info.clusters else \
        " No cluster list was given: only what was received is counted."
    sheet.write_string(1, 0, f"Merged {written} by ClusterBook {__version__}.{source}",
                       formats.note)
    row = 2
    if notice:
        sheet.write_string(row, 0, notice, formats.note)
        row += 1
    row += 1
    for label, value in _key_figures(review):
        sheet.write_string(row, 0, label, formats.bold)
        sheet.write_number(row, 2, value, formats.count)
        row += 1
    row += 1
    sheet.write_string(row, 0, "By district", formats.subtitle)
    header = row + 1
    for index, (_, title) in enumerate(SUMMARY_COLUMNS):
        sheet.write_string(header, index, title, formats.header)
    sheet.set_row(header, 45)
    first = header + 1
    districts = review.districts
    last = _write_frame(sheet, districts, first, formats)
    row = last + 2
    sheet.write_string(row, 0, "By province", formats.subtitle)
    for index, (key, title) in enumerate(SUMMARY_COLUMNS):
        sheet.write_string(row + 1, index, "Districts" if key == "district" else title,
                           formats.header)
    sheet.set_row(row + 1, 45)
    provinces = review.provinces[[key for key, _ in SUMMARY_COLUMNS]]
    end = _write_frame(sheet, provinces, row + 2, formats, total_last=True)
    if len(districts):
        _charts(book, sheet, districts, first, last - 1, review.clusters is not None)
    sheet.freeze_panes(0, 0)
    print_ready(sheet, landscape=True)
    sheet.print_area(0, 0, max(end, first + 40), len(SUMMARY_COLUMNS) + 14)
    sheet.protect("", _PROTECTION)


def _key_figures(review: Review) -> list[tuple[str, int]]:
    current = review.current
    return [
        ("Files", len(review.files)),
        ("Microplans (current)", sum(1 for e in current if e.form_id == MICROPLAN.form_id)),
        ("Action plans (clusters)", sum(1 for e in current
                                        if e.form_id == ACTION_PLAN.form_id)),
        ("Superseded or identical copies", len(review.replaced)),
        ("Files not readable", sum(1 for item in review.files if item.unreadable)),
        ("Errors", sum(s.errors for s in review.sources)),
        ("Warnings", sum(s.warnings for s in review.sources)),
    ]


def _write_frame(sheet: Worksheet, frame: pd.DataFrame, first: int, formats: _Formats, *,
                 total_last: bool = False) -> int:
    row = first
    records = frame.astype(object).where(frame.notna(), None).values.tolist()
    for position, values in enumerate(records):
        total = total_last and position == len(records) - 1
        for column, value in enumerate(values):
            if value is None or value == "":
                if total:
                    sheet.write_blank(row, column, None, formats.bold_total)
                continue
            if isinstance(value, str):
                sheet.write_string(row, column, value, formats.bold_total if total else None)
            else:
                sheet.write_number(row, column, int(value),
                                   formats.bold_count if total else formats.count)
        row += 1
    return row


def _charts(book: Workbook, sheet: Worksheet, districts: pd.DataFrame, first: int, last: int,
            with_list: bool) -> None:
    keys = [key for key, _ in SUMMARY_COLUMNS]
    categories = [SUMMARY, first, 1, last, 1]
    left = len(SUMMARY_COLUMNS) + 1
    received = book.add_chart({"type": "column"})
    series = [("expected", "Clusters expected", "A6A6A6"), ("received", "Microplans received",
                                                            HEADER.fill),
              ("valid", "Valid", "70AD47")] if with_list else [
        ("received", "Microplans received", HEADER.fill), ("valid", "Valid", "70AD47")]
    for key, name, colour in series:
        column = keys.index(key)
        received.add_series({"name": name, "categories": categories,
                             "values": [SUMMARY, first, column, last, column],
                             "fill": {"color": f"#{colour}"}, "gap": 60})
    received.set_title({"name": "Microplans received vs expected, by district",
                        "name_font": {"size": 11}})
    received.set_x_axis({"num_font": {"rotation": -45, "size": 8}})
    received.set_y_axis({"major_gridlines": {"visible": True,
                                             "line": {"color": "#D9D9D9"}}})
    received.set_legend({"position": "top"})
    received.set_size({"width": 760, "height": 330})
    sheet.insert_chart(3, left, received)
    if not with_list:
        return
    plans = book.add_chart({"type": "column", "subtype": "stacked"})
    for key, name, colour in (("with_action_plan", "With an action plan", "70AD47"),
                              ("without_action_plan", "Without an action plan", "C00000")):
        column = keys.index(key)
        plans.add_series({"name": name, "categories": categories,
                          "values": [SUMMARY, first, column, last, column],
                          "fill": {"color": f"#{colour}"}, "gap": 60})
    plans.set_title({"name": "Low-performing clusters without an action plan, by district",
                     "name_font": {"size": 11}})
    plans.set_x_axis({"num_font": {"rotation": -45, "size": 8}})
    plans.set_y_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    plans.set_legend({"position": "top"})
    plans.set_size({"width": 760, "height": 330})
    sheet.insert_chart(21, left, plans)


def _mark_sheet(book: Workbook, info: BookInfo) -> None:
    sheet = book.add_worksheet(FORM_SHEET)
    sheet.write_string(FORM_ID_ROW - 1, 0, "Form")
    sheet.write_string(FORM_ID_ROW - 1, 1, REVIEW_BOOK_ID)
    sheet.write_string(FORM_VERSION_ROW - 1, 0, "Version")
    sheet.write_string(FORM_VERSION_ROW - 1, 1, REVIEW_BOOK_VERSION)
    values = info.values()
    for offset, (key, label) in enumerate(MARK_ROWS, start=FORM_VERSION_ROW):
        sheet.write_string(offset, 0, label)
        if values[key]:
            sheet.write_string(offset, 1, values[key])
    sheet.hide()


# --- reading back ---------------------------------------------------------------------------------

@dataclass
class ReviewBookContent:
    """What a review book holds: its mark, the reviewers' notes and the files it carries."""

    info: BookInfo
    notes: list[ReviewerNote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


def read_mark(book: Any, file: str) -> BookInfo | None:
    """The review book mark of an open workbook, or None when it is not a review book."""
    if FORM_SHEET not in book.sheet_names:
        return None
    rows = read_sheet(book, FORM_SHEET, file=file)
    if clean_text(rows.value(FORM_ID_ROW, 2)) != REVIEW_BOOK_ID:
        return None
    values = {key: clean_text(rows.value(offset + 1, 2))
              for offset, (key, _) in enumerate(MARK_ROWS, start=FORM_VERSION_ROW)}
    return BookInfo(**values)


def read_review_book(path: Path | str | Intake, *, name: str | None = None,
                     sources: bool = True) -> ReviewBookContent:
    """Read a review book: its mark, the Feedback sheet's notes, and (``sources``) every file
    it carries with its rows, findings and outcome. Raises WorkbookError when the file is not a
    review book."""
    file = name or (path.name if isinstance(path, Intake) else Path(path).name)
    with _open_review_book(path, file) as (book, info):
        return review_book_content(book, info, file, sources=sources)


def review_book_content(book: Any, info: BookInfo, file: str, *,
                        sources: bool = True) -> ReviewBookContent:
    """What an open review book holds (see :func:`read_review_book`)."""
    names = set(book.sheet_names)

    def rows_of(sheet: str) -> list[list[Any]]:
        return read_sheet(book, sheet, file=file).rows if sheet in names else []

    content = ReviewBookContent(info, notes=_feedback_notes(book, file))
    if sources:
        content.sources = _sources(file, rows_of)
    return content


def read_review_tables(path: Path | str, tables: dict[str, Sequence[Column]], *,
                       name: str | None = None) -> tuple[BookInfo, dict[str, list[dict[str, Any]]]]:
    """Sheets of a review book as rows of {column key: value} (None for an empty cell), found
    by their headers. Raises WorkbookError when the file is not a review book."""
    file = name or Path(path).name
    with _open_review_book(path, file) as (book, info):
        found: dict[str, list[dict[str, Any]]] = {}
        for sheet, columns in tables.items():
            rows = read_sheet(book, sheet, file=file).rows if sheet in book.sheet_names else []
            positions, body = _table(rows, columns)
            get = _getter(positions)
            found[sheet] = [{column.key: get(row, column.key) for column in columns}
                            for row in body if any(value != "" for value in row)]
    return info, found


@contextmanager
def _open_review_book(path: Path | str | Intake, file: str
                      ) -> Iterator[tuple[Any, BookInfo]]:
    """The open workbook and its mark; WorkbookError when it is not a review book."""
    book = open_intake(path) if isinstance(path, Intake) else open_workbook(Path(path))
    try:
        info = read_mark(book, file)
        if info is None:
            raise WorkbookError(file, "this workbook is not a ClusterBook review book",
                                kind=ErrorKind.NOT_TEMPLATE)
        yield book, info
    finally:
        book.close()


def _table(rows: list[list[Any]], columns: Sequence[Column]
           ) -> tuple[dict[str, int], list[list[Any]]]:
    """A table's columns and body rows, its header found in the top rows (rows may have been
    inserted above it or title rows deleted)."""
    if not rows:
        return {}, []
    first = columns[0].key
    found = find_header(rows, tuple(columns), needed={first})
    if found is None:
        return {}, []
    row, positions = found
    return positions, rows[row:]


def _getter(positions: dict[str, int]) -> Callable[[list[Any], str], Any]:
    def get(row: list[Any], key: str) -> Any:
        position = positions.get(key)
        if position is None or position >= len(row):
            return None
        value = row[position]
        if key in _STAMPED:
            value = stamp_text(value)  # time stamps are written as date-time cells
        return None if value == "" else value
    return get


#: The columns holding time stamps.
_STAMPED: Final = frozenset({"received", "last_received"})


def _feedback_notes(book: Any, file: str) -> list[ReviewerNote]:
    """The reviewers' notes of a review book's Feedback sheet, found by its name or, renamed,
    by its title and header. Raises WorkbookError, saying what to fix, when the sheet or its
    header cannot be found: a merge must never write a book without the reviewers' work."""
    names = [name for name in book.sheet_names if name != FORM_SHEET]
    candidates = [FEEDBACK] if FEEDBACK in names else [
        name for name in names if name not in _generated_sheets()]
    for name in candidates:
        rows = read_sheet(book, name, file=file).rows
        found = _feedback_header(rows)
        if found is not None:
            return _notes(rows, *found)
        if name == FEEDBACK or _has_title(rows):
            raise WorkbookError(file, f"the reviewers' entries on sheet '{name}' cannot be "
                                      f"read: no header row with 'Cluster code' and 'Review "
                                      f"status' or 'Reviewer comment' was found in its first "
                                      f"{HEADER_SEARCH_ROWS} rows. Nothing was written, so "
                                      f"that their work is not lost. Put back the header row "
                                      f"(or restore the book from the '{BACKUPS_FOLDER}' folder) "
                                      f"and merge again", kind=ErrorKind.FEEDBACK)
    raise WorkbookError(file, f"the book has no Feedback sheet (none is named '{FEEDBACK}' or "
                              f"has its title and header). Nothing was written, so that the "
                              f"reviewers' work is not lost. Give the sheet back its name (or "
                              f"restore the book from the '{BACKUPS_FOLDER}' folder) and merge "
                              f"again", kind=ErrorKind.FEEDBACK)


_EXTRA: Final = "extra:"


def _generated_sheets() -> frozenset[str]:
    return frozenset({SUMMARY, ISSUES, SUPERSEDED, FILES,
                      *(layout.name for layout in data_sheets())})


def _has_title(rows: list[list[Any]]) -> bool:
    return any(clean_text(value).startswith(FEEDBACK_TITLE.split(":")[0] + ":")
               for row in rows[:HEADER_SEARCH_ROWS] for value in row[:3])


def _feedback_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    """The Feedback header row (1-based) and its columns: a cluster code column and at least
    one of the reviewers' columns, by their headers or their aliases."""
    for reviewer in REVIEWER_COLUMNS:
        found = find_header(rows, FEEDBACK_COLUMNS, needed={"cluster_code", reviewer},
                            aliases=FEEDBACK_ALIASES)
        if found is not None:
            return found
    return None


def _notes(rows: list[list[Any]], header_row: int, positions: dict[str, int]
           ) -> list[ReviewerNote]:
    """The notes under a Feedback header; columns the reviewers added are kept by header."""
    get = _getter(positions)
    header = rows[header_row - 1]
    taken = set(positions.values())
    extra = {position: clean_text(text) for position, text in enumerate(header)
             if position not in taken and clean_text(text)}
    notes = []
    for row in rows[header_row:]:
        note = ReviewerNote(*(clean_text(get(row, key)) for key in (
            "cluster_code", "status", "comment", "priority", "province", "district",
            "cluster_name", "last_received")))
        note.extra = {text: clean_text(row[position]) for position, text in extra.items()
                      if position < len(row) and clean_text(row[position])}
        if note.cluster_code or note.typed:
            notes.append(note)
    return notes


def _whole(value: Any) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _sources(book_name: str, rows_of: Callable[[str], list[list[Any]]]) -> list[Source]:
    """Every file a review book carries, with its rows, findings and recorded outcome."""
    positions, body = _table(rows_of(FILES), FILE_COLUMNS)
    get = _getter(positions)
    sources: list[Source] = []
    by_key: dict[tuple[str, str], Source] = {}
    for row in body:
        file, fingerprint = clean_text(get(row, "file")), clean_text(get(row, "fingerprint"))
        if not file:
            continue
        source = Source(file, clean_text(get(row, "relative")), fingerprint,
                        _whole(get(row, "size")), clean_text(get(row, "received")),
                        clean_text(get(row, "template")), clean_text(get(row, "version")),
                        via=book_name,
                        carried_outcome=clean_text(get(row, "outcome")),
                        carried_kind=code_of(Outcome, get(row, "kind")),
                        carried_code=code_of(MergeOutcome, get(row, "outcome_code")))
        sources.append(source)
        if source.carried_code is not None:
            copy = source.carried_code is MergeOutcome.COPY
        else:  # a book written before outcome codes were kept: its words say it
            copy = source.carried_outcome.startswith(COPY_WORDS)
        if not copy:
            by_key.setdefault((fingerprint, file), source)

    def owner(fingerprint: str, file: str, form_id: str = "") -> Source:
        source = by_key.get((fingerprint, file))
        if source is None:
            source = Source(file, "", fingerprint, 0, "", form_id, via=book_name)
            by_key[(fingerprint, file)] = source
            sources.append(source)
        return source

    for layout_entry in _entries(rows_of):
        owner(layout_entry.fingerprint, layout_entry.file,
              layout_entry.form_id).entries.append(layout_entry)
    for entry in _earlier(rows_of):
        owner(entry.fingerprint, entry.file, entry.form_id).entries.append(entry)
    positions, body = _table(rows_of(ISSUES), ISSUE_COLUMNS)
    get = _getter(positions)
    for row in body:
        file, fingerprint = clean_text(get(row, "file")), clean_text(get(row, "fingerprint"))
        severity = clean_text(get(row, "severity"))
        if not file or severity not in (Severity.ERROR, Severity.WARNING):
            continue
        owner(fingerprint, file).findings.append(Finding(
            Severity(severity), clean_text(get(row, "rule")), clean_text(get(row, "message")),
            file, clean_text(get(row, "sheet")), clean_text(get(row, "cell")),
            clean_text(get(row, "value"))))
    return sources


def _entries(rows_of: Callable[[str], list[list[Any]]]) -> list[Entry]:
    """The current entries of a review book, rebuilt from its data sheets."""
    documents: dict[tuple[str, str, str, str], dict[str, list[SourceRow]]] = {}
    received: dict[tuple[str, str, str, str], str] = {}
    for layout in data_sheets():
        positions, body = _table(rows_of(layout.name), layout.columns)
        if not positions:
            continue
        get = _getter(positions)
        fields = [(column.key, column.field) for column in layout.columns
                  if column.field is not None and "." in column.key]
        for row in body:
            fingerprint = clean_text(get(row, "fingerprint"))
            file = clean_text(get(row, "file"))
            if not fingerprint and not file:
                continue
            sheet = clean_text(get(row, "sheet"))
            number = _whole(get(row, "row"))
            key = (fingerprint, file, layout.form.form_id, group_of(sheet))
            sections = documents.setdefault(key, {})
            received.setdefault(key, clean_text(get(row, "received")))
            values = {column_key: typed_value(item, get(row, column_key))
                      for column_key, item in fields if item is not None}
            for section in layout.records:
                if section.key not in sections:
                    record = tuple(values[f"{section.key}.{item.key}"]
                                   for item in section.fields)
                    at = number if layout.table is None else section.first_row
                    sections[section.key] = [SourceRow(sheet, at, record)]
            if layout.table is not None:
                table = layout.table
                sections.setdefault(table.key, []).append(SourceRow(
                    sheet, number, tuple(values[f"{table.key}.{item.key}"]
                                         for item in table.fields)))
    entries = []
    for (fingerprint, file, form_id, group), sections in documents.items():
        for rows in sections.values():
            rows.sort(key=lambda source_row: source_row.row)
        for entry in entries_of(FORMS[form_id], group, sections, file=file):
            entry.fingerprint = fingerprint
            entry.received = received[(fingerprint, file, form_id, group)]
            entries.append(entry)
    return entries


def _earlier(rows_of: Callable[[str], list[list[Any]]]) -> list[Entry]:
    """The entries a review book lists as superseded by a newer submission (identical copies
    are listed again by the merge itself)."""
    positions, body = _table(rows_of(SUPERSEDED), SUPERSEDED_COLUMNS)
    get = _getter(positions)
    forms: dict[str, Form] = {form_name(form): form for form in FORMS.values()}
    entries = []
    for row in body:
        reason = clean_text(get(row, "reason"))
        form = forms.get(clean_text(get(row, "form")))
        why = code_of(Replacement, get(row, "reason_code"))
        # Identical copies are listed again by the merge; a book written before reason codes
        # were kept says so in its words.
        identical = (why is Replacement.IDENTICAL if why is not None
                     else reason.startswith(COPY_WORDS[0]))
        if form is None or not reason or identical:
            continue
        try:
            submitted = to_date(get(row, "submitted"))
        except ValueError:
            submitted = None
        entries.append(Entry(form.form_id, "", clean_text(get(row, "cluster_code")),
                             clean_text(get(row, "province")), clean_text(get(row, "district")),
                             "", submitted, {}, file=clean_text(get(row, "file")),
                             fingerprint=clean_text(get(row, "fingerprint")),
                             received=clean_text(get(row, "received")), earlier=reason,
                             earlier_by=clean_text(get(row, "by")), earlier_code=why))
    return entries



__all__ = ["BookInfo", "ReviewBookContent", "fit_row", "read_mark",
           "read_review_book", "read_review_tables", "review_book_content", "write_review_book"]
