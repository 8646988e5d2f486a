"""Any :class:`~clusterbook.forms.Form` as an Excel workbook: a blank template or a filled copy.

One builder serves every form. From the schema it writes an instructions sheet, one sheet per
form sheet (record sections as label / value / note rows, table sections as a header row over
entry rows), data validation with input messages from each field's kind, dropdown lists from
its choices, protection of everything but the entry cells (no password), print settings, and
the hidden sheet that records the form id and version. Given :class:`FormData`, the same
builder writes the values into the entry cells, so templates and filled submissions never
differ in layout.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook.excel.addin import GUIDE_PAGE
from clusterbook.excel.write import new_workbook, print_ready
from clusterbook.forms.cells import cell_ref, range_ref, sheet_ref
from clusterbook.forms.schema import (
    FORM_ID_ROW,
    FORM_SHEET,
    FORM_VERSION_ROW,
    LIVE_CHECK_ROWS,
    Field,
    Form,
    FormData,
    Kind,
    RecordSection,
    Section,
    TableSection,
    section_block,
)
from clusterbook.styles import HEADER, INPUT_CELL, TITLE_SIZE

#: Every built book carries this creation time, so that building twice gives the same bytes.
BUILD_TIME = dt.datetime(2025, 1, 1)
INSTRUCTIONS_SHEET = "Instructions"
CHECKS_SHEET = "Checks"
#: Where dropdown lists live on the hidden form sheet: one column per list from column D.
_FIRST_LIST_COLUMN = 4
_DATE_FORMAT = "dd/mm/yyyy"
_EARLIEST_DATE = dt.date(2000, 1, 1)
_LATEST_DATE = dt.date(2099, 12, 31)
_LARGEST_COUNT = 100_000_000
_NOTE_WIDTH = 52.0
_ENTRY_ROW_HEIGHT = 18
_OPTIONAL_HEADER = "5B7FA6"
PROTECTION = {"insert_rows": True, "delete_rows": True, "format_columns": True,
               "format_rows": True, "select_locked_cells": True,
               "select_unlocked_cells": True}

#: Where an officer learns to get the add-in: the installer and the guide's page.
ADDIN_HELP = (f"The ClusterBook installer (ClusterBook-Setup.exe) adds it to Excel; see "
              f"{GUIDE_PAGE}.")
#: What a cell that needs the add-in shows when Excel (or another program) runs without it.
ADDIN_MISSING = "Needs the ClusterBook add-in (see the note above)"
#: What the checks sheet says about the add-in its formula needs.
ADDIN_MISSING_NOTE = ("These checks need the ClusterBook add-in; without it the cell below says "
                      "so. " + ADDIN_HELP + " Or simply send the file: the regional team "
                      "checks every submission when it arrives. The form itself works the "
                      "same without the add-in.")


def addin_guarded(formula: str) -> str:
    """A formula calling an add-in function, showing ADDIN_MISSING instead of an error value
    when the add-in is not there (the add-in's own answers are never errors)."""
    return f'=IFERROR({formula.removeprefix("=")},"{ADDIN_MISSING}")'


def live_check_rows(form: Form, data: FormData | None) -> list[list[object]]:
    """What the form's live check function gives for ``data`` (blank when None): the rows
    Excel shows with the add-in, computed here by the same code."""
    import clusterbook.udfs as udfs
    from clusterbook.domain.submission import blocks_from_data

    rows: list[list[object]] = getattr(udfs, form.live_check)(
        *blocks_from_data(data or FormData(form)))
    return rows


class Styles:
    """The formats of one workbook (XlsxWriter formats belong to a book)."""

    def __init__(self, book: Workbook) -> None:
        add = book.add_format
        self.title = add({"bold": True, "font_size": TITLE_SIZE, "font_color": HEADER.fill})
        self.subtitle = add({"bold": True, "font_size": 11, "font_color": HEADER.fill})
        self.note = add({"italic": True, "font_color": "595959", "text_wrap": True,
                         "valign": "top"})
        self.line_note = add({"italic": True, "font_color": "595959"})
        self.plain = add({"text_wrap": True, "valign": "top"})
        self.bold = add({"bold": True, "valign": "top"})
        self.label = add({"bold": True, "valign": "vcenter", "text_wrap": True,
                          "bottom": 1, "bottom_color": "BFBFBF"})
        self.header = add({"bold": True, "bg_color": HEADER.fill, "font_color": HEADER.text,
                           "text_wrap": True, "valign": "vcenter", "border": 1,
                           "border_color": "FFFFFF"})
        self.header_optional = add({"bold": True, "bg_color": _OPTIONAL_HEADER,
                                    "font_color": "FFFFFF", "text_wrap": True,
                                    "valign": "vcenter", "border": 1, "border_color": "FFFFFF"})
        self._input: dict[Kind, Format] = {}
        self._open: dict[Kind, Format] = {}
        self._book = book

    def input(self, kind: Kind) -> Format:
        """An entry cell: unlocked, filled, bordered, with the kind's number format."""
        if kind not in self._input:
            self._input[kind] = self._book.add_format(
                {"locked": False, "bg_color": INPUT_CELL.fill, "border": 1,
                 "border_color": "BFBFBF", "valign": "vcenter", **_number_format(kind)})
        return self._input[kind]

    def open_column(self, kind: Kind) -> Format:
        """The column format below the formatted rows: unlocked, so tables can grow."""
        if kind not in self._open:
            self._open[kind] = self._book.add_format({"locked": False, **_number_format(kind)})
        return self._open[kind]


def _number_format(kind: Kind) -> dict[str, Any]:
    if kind is Kind.DATE:
        return {"num_format": _DATE_FORMAT, "align": "left"}
    if kind is Kind.COUNT:
        return {"num_format": "#,##0", "align": "left"}
    if kind in (Kind.NUMBER, Kind.PERCENT):
        return {"num_format": "0.0", "align": "left"}
    # Text stays text: codes such as 012 and phone numbers such as +93 70... keep their form.
    return {"num_format": "@", "text_wrap": True}


def write_form(path: Path | str, form: Form,
               data: FormData | Sequence[FormData] | None = None) -> Path:
    """Write ``form`` to ``path`` atomically: a blank template, or filled with ``data``.

    A sequence of FormData writes several copies of the form's sheets into one book, named as
    Excel names copied sheets ('Team', 'Team (2)', ...), as a district does when it sends
    several cluster microplans in one workbook.
    """
    path = Path(path)
    copies = _copies(form, data)
    # In memory: a form is small, and temporary files per XML part cost more than the build.
    with new_workbook(path, in_memory=True) as book:
        book.set_properties({"title": form.title, "subject": f"{form.form_id} {form.version}",
                             "company": "ClusterBook", "created": BUILD_TIME})
        add_form_sheets(book, form, copies)
    return path


def _copies(form: Form, data: FormData | Sequence[FormData] | None) -> list[FormData | None]:
    if data is None:
        return [None]
    items = [data] if isinstance(data, FormData) else list(data)
    if not items:
        return [None]
    for item in items:
        if item.form.form_id != form.form_id:
            raise ValueError(f"data of form {item.form.form_id} cannot fill {form.form_id}")
    return list(items)


def copy_sheet_name(sheet: str, copy: int) -> str:
    """The name Excel gives the copy'th copy of a sheet: 'Team', 'Team (2)', ..."""
    return sheet if copy == 1 else f"{sheet} ({copy})"


def add_form_sheets(book: Workbook, form: Form,
                    copies: Sequence[FormData | None] = (None,)) -> Styles:
    """Add a form's sheets to an XlsxWriter book (instructions, data sheets per copy, checks,
    hidden form record) and return the book's styles for callers adding sheets of their own."""
    styles = Styles(book)
    contents = [(name, "; then ".join(_section_summary(section)
                                      for section in form.sections_on(name)))
                for name in form.sheets]
    if form.live_check:
        contents.append((CHECKS_SHEET, "the problems in what you typed, listed as you type "
                                       "(needs the ClusterBook add-in)"))
    add_instructions_sheet(book, styles, form, contents)
    lists = FormRecord(book, form)
    for copy, data in enumerate(copies, start=1):
        for sheet_name in form.sheets:
            sheet = book.add_worksheet(copy_sheet_name(sheet_name, copy))
            write_sections(sheet, styles, lists, form, form.sections_on(sheet_name), data)
    if form.live_check:
        _checks_sheet(book, styles, form, copies)
    lists.finish()
    book.worksheets()[0].activate()
    return styles


@dataclass
class SheetLayout:
    """What a sheet uses so far: its last row and column (print area) and column widths."""

    last_row: int = 1
    last_column: int = 1
    widths: dict[int, float] | None = None

    def use(self, row: int, column: int) -> None:
        self.last_row = max(self.last_row, row)
        self.last_column = max(self.last_column, column)

    def widen(self, column: int, width: float) -> None:
        self.widths = self.widths or {}
        self.widths[column] = max(self.widths.get(column, 0.0), width)


def write_sections(sheet: Worksheet, styles: Styles, lists: FormRecord, form: Form,
                sections: Sequence[Section], data: FormData | None) -> None:
    layout = SheetLayout()
    column_formats: dict[int, Format] = {}
    table_widths = {section.column_index(f.key): f.width for section in sections
                    if isinstance(section, TableSection) for f in section.fields}
    landscape = False
    repeat_row: int | None = None
    for section in sections:
        if isinstance(section, RecordSection):
            write_record(sheet, styles, lists, section, data, layout, table_widths)
        else:
            write_table(sheet, styles, lists, section, data, layout, column_formats)
            landscape = landscape or sum(f.width for f in section.fields) > 110
            repeat_row = section.header_row - 1
            if section.header_row <= 10:
                sheet.freeze_panes(section.header_row, 0)
    for column, width in (layout.widths or {}).items():
        sheet.set_column(column - 1, column - 1, width, column_formats.get(column))
    sheet.hide_gridlines(2)
    print_ready(sheet, header_row=repeat_row, landscape=landscape)
    sheet.set_header(f"&L&8{_header_text(form.title)}&R&8{form.form_id} {form.version}")
    sheet.print_area(0, 0, layout.last_row - 1, layout.last_column - 1)
    if all(getattr(section, "protect", True) for section in sections):
        sheet.protect("", PROTECTION)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


def write_record(sheet: Worksheet, styles: Styles, lists: FormRecord,
                    section: RecordSection, data: FormData | None, layout: SheetLayout,
                    table_widths: dict[int, float]) -> None:
    label_column, value_column = section.label_column, section.value_column
    note_column = last_note_column = value_column + 1
    # Beside a table the note spans the table's columns instead of widening one of them.
    width = table_widths.get(note_column, 0.0)
    while note_column in table_widths and width < 0.8 * _NOTE_WIDTH \
            and last_note_column + 1 in table_widths:
        last_note_column += 1
        width += table_widths[last_note_column]
    sheet.write_string(section.title_row - 1, label_column - 1, section.title, styles.title)
    if section.title_row + 1 < section.first_row:
        sheet.write_string(section.title_row, label_column - 1,
                           "Fill the yellow cells. Point at a cell to see what it needs.",
                           styles.line_note)
    values = data.records.get(section.key, {}) if data else {}
    _refuse_unknown(section, values)
    for field_ in section.fields:
        row = section.row_of(field_.key)
        sheet.write_string(row - 1, label_column - 1, field_.label, styles.label)
        write_value(sheet, row, value_column, field_, values.get(field_.key), styles)
        note = _note(field_)
        if last_note_column > note_column:
            sheet.merge_range(row - 1, note_column - 1, row - 1, last_note_column - 1, note,
                              styles.note)
        else:
            sheet.write_string(row - 1, note_column - 1, note, styles.note)
        sheet.set_row(row - 1, 30 if len(note) > 60 or len(field_.label) > 34 else 20)
        validate_cells(sheet, lists, field_, row, value_column, row)
    layout.use(section.last_row, last_note_column)
    layout.widen(label_column, min(max(len(f.label) for f in section.fields) * 0.9 + 2, 36))
    layout.widen(value_column, max(f.width for f in section.fields))
    if note_column not in table_widths:
        layout.widen(note_column, _NOTE_WIDTH)


def _note(field_: Field) -> str:
    # Optional fields say nothing of it: some are needed later (the sign-off, before 'Final').
    parts = ["Required."] if field_.required else []
    if field_.help:
        parts.append(field_.help)
    elif field_.kind is Kind.COUNT:
        parts.append(f"A whole number of {_minimum(field_):g} or more.")
    elif field_.kind is Kind.DATE:
        parts.append("A date, e.g. 15/03/2025.")
    elif field_.kind is Kind.CHOICE:
        parts.append("Pick from the list.")
    return " ".join(parts)


def write_table(sheet: Worksheet, styles: Styles, lists: FormRecord, section: TableSection,
                   data: FormData | None, layout: SheetLayout,
                   column_formats: dict[int, Format]) -> None:
    first_column = section.first_column
    sheet.write_string(section.title_row - 1, first_column - 1, section.title, styles.title)
    note = ("Dark blue columns must be filled in every row you use; lighter ones are optional. "
            "Point at a cell to see what it needs.")
    note += (" Type more rows below if you need them." if section.extendable
             else f" There is room for {section.rows:,} rows.")
    if section.title_row + 1 < section.header_row:
        sheet.merge_range(section.title_row, first_column - 1, section.title_row,
                          first_column + len(section.fields) - 2, note, styles.note)
        sheet.set_row(section.title_row, 30)
    rows = data.tables.get(section.key, []) if data else []
    for row_values in rows:
        _refuse_unknown(section, row_values)
    entry_rows = max(section.rows, len(rows))
    sheet.set_row(section.header_row - 1, 32)
    last_check_row = section.header_row + (max(LIVE_CHECK_ROWS, entry_rows)
                                           if section.extendable else entry_rows)
    for field_ in section.fields:
        column = section.column_index(field_.key)
        sheet.write_string(section.header_row - 1, column - 1, field_.label,
                           styles.header if field_.required else styles.header_optional)
        for offset in range(entry_rows):
            if column == first_column:
                sheet.set_row(section.first_data_row + offset - 1, _ENTRY_ROW_HEIGHT)
            value = rows[offset].get(field_.key) if offset < len(rows) else None
            write_value(sheet, section.first_data_row + offset, column, field_, value, styles)
        validate_cells(sheet, lists, field_, section.first_data_row, column, last_check_row)
        layout.widen(column, field_.width)
        if section.extendable:
            column_formats.setdefault(column, styles.open_column(field_.kind))
    layout.use(section.header_row + entry_rows, first_column + len(section.fields) - 1)


def _refuse_unknown(section: Section, values: dict[str, object]) -> None:
    known = {field_.key for field_ in section.fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise KeyError(f"section {section.key} has no field {', '.join(unknown)}")


def write_value(sheet: Worksheet, row: int, column: int, field_: Field, value: object,
                 styles: Styles) -> None:
    """Write what a user would have typed; text is always written as text."""
    cell_format = styles.input(field_.kind)
    r, c = row - 1, column - 1
    if value is None:
        value = field_.default
    if value is None or value == "":
        sheet.write_blank(r, c, None, cell_format)
    elif isinstance(value, dt.datetime | dt.date):
        sheet.write_datetime(r, c, value, cell_format)
    elif isinstance(value, bool):
        sheet.write_string(r, c, str(value), cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value, cell_format)
    else:
        sheet.write_string(r, c, str(value), cell_format)


def _minimum(field_: Field) -> float:
    return field_.minimum if field_.minimum is not None else 0.0


def validate_cells(sheet: Worksheet, lists: FormRecord, field_: Field, first_row: int, column: int,
              last_row: int) -> None:
    """Data validation and the input message of a field's cells, from its kind."""
    title = field_.label[:32]
    options: dict[str, Any]
    if field_.kind is Kind.COUNT:
        low = math.ceil(_minimum(field_))
        high = math.floor(field_.maximum) if field_.maximum is not None else _LARGEST_COUNT
        options = {"validate": "integer", "criteria": "between", "minimum": low,
                   "maximum": high, "error_message": f"Type a whole number of {low:g} or more."}
    elif field_.kind in (Kind.NUMBER, Kind.PERCENT):
        low = _minimum(field_)
        high = field_.maximum if field_.maximum is not None else (
            100 if field_.kind is Kind.PERCENT else 1e12)
        options = {"validate": "decimal", "criteria": "between", "minimum": low,
                   "maximum": high, "error_message": f"Type a number from {low:g} to {high:g}."}
    elif field_.kind is Kind.DATE:
        options = {"validate": "date", "criteria": "between", "minimum": _EARLIEST_DATE,
                   "maximum": _LATEST_DATE, "error_message": "Type a date, e.g. 15/03/2025."}
    elif field_.kind is Kind.CHOICE:
        options = {"validate": "list", "source": lists.source(field_),
                   "error_message": "Pick one of the values in the list."}
    else:
        options = {"validate": "any"}
    message = _note(field_)
    if options["validate"] == "any" and not message:
        return
    options.update({"input_title": title, "input_message": message[:255],
                    "ignore_blank": True})
    if "error_message" in options:
        options["error_title"] = title
        options["error_type"] = "stop"
    sheet.data_validation(first_row - 1, column - 1, last_row - 1, column - 1, options)


class FormRecord:
    """The hidden sheet recording the form id and version, and holding the dropdown lists.

    Dropdowns ask it for their source while sheets are written; :meth:`finish` writes it
    last."""

    def __init__(self, book: Workbook, form: Form) -> None:
        self.book, self.form = book, form
        self.columns: dict[tuple[str, ...], int] = {}
        self.labels: dict[tuple[str, ...], str] = {}

    def source(self, field_: Field) -> str:
        """The absolute range a dropdown takes its values from."""
        column = self.columns.setdefault(field_.choices,
                                         _FIRST_LIST_COLUMN + len(self.columns))
        self.labels.setdefault(field_.choices, field_.label)
        area = range_ref(2, column, 1 + len(field_.choices), column, absolute=True)
        return "=" + sheet_ref(FORM_SHEET, area)

    def finish(self) -> None:
        sheet = self.book.add_worksheet(FORM_SHEET)
        sheet.write_string(FORM_ID_ROW - 1, 0, "Form")
        sheet.write_string(FORM_ID_ROW - 1, 1, self.form.form_id)
        sheet.write_string(FORM_VERSION_ROW - 1, 0, "Version")
        sheet.write_string(FORM_VERSION_ROW - 1, 1, self.form.version)
        for choices, column in self.columns.items():
            sheet.write_string(0, column - 1, self.labels[choices])
            sheet.write_column(1, column - 1, choices)
        sheet.hide()
        sheet.protect("", PROTECTION)


def add_instructions_sheet(book: Workbook, styles: Styles, form: Form,
                           contents: Sequence[tuple[str, str]]) -> None:
    """The first sheet: the form's title and version, its instructions in plain words, what
    the colours mean, and ``contents``: (sheet, what it holds) for each sheet."""
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    sheet.set_column(0, 0, 4)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 62)
    sheet.write_string(0, 0, form.title, styles.title)
    sheet.write_string(1, 0, f"Template {form.form_id}, version {form.version}",
                       styles.line_note)
    row = 3
    sheet.write_string(row, 0, "How to fill this workbook", styles.subtitle)
    row += 1
    for number, text in enumerate(form.instructions, start=1):
        sheet.write_string(row, 0, f"{number}.", styles.bold)
        sheet.merge_range(row, 1, row, 2, text, styles.plain)
        sheet.set_row(row, 15 * (1 + len(text) // 88))
        row += 1
    row += 1
    sheet.write_string(row, 0, "What the colours mean", styles.subtitle)
    row += 1
    for sample, sample_format, text in (
            ("", styles.input(Kind.TEXT), "a cell for you to fill; the rest of the sheet is "
                                          "locked so the form keeps its shape"),
            ("Column", styles.header, "a column or field you must fill"),
            ("Column", styles.header_optional, "an optional column")):
        sheet.write_string(row, 1, sample, sample_format)
        sheet.write_string(row, 2, text, styles.plain)
        sheet.set_row(row, 15 * (1 + len(text) // 60))
        row += 1
    row += 1
    sheet.write_string(row, 0, "The sheets", styles.subtitle)
    row += 1
    for name, text in contents:
        sheet.write_string(row, 1, name, styles.bold)
        sheet.write_string(row, 2, text, styles.plain)
        sheet.set_row(row, 15 * (1 + len(text) // 60))
        row += 1
    sheet.hide_gridlines(2)
    print_ready(sheet, landscape=False)
    sheet.print_area(0, 0, row, 2)
    sheet.protect("", PROTECTION)


def _section_summary(section: Section) -> str:
    if isinstance(section, RecordSection):
        return f"{section.title} ({len(section.fields)} fields)"
    return f"{section.title} (a table: one row per entry)"


def _checks_sheet(book: Workbook, styles: Styles, form: Form,
                  copies: Sequence[FormData | None]) -> None:
    """One live check formula per copy of the form, side by side."""
    sheet = book.add_worksheet(CHECKS_SHEET)
    sheet.write_string(0, 0, "Checks: what to correct before sending", styles.title)
    last_column = 3 + 5 * (len(copies) - 1)
    sheet.merge_range(1, 0, 2, last_column, ADDIN_MISSING_NOTE, styles.note)
    # The note wraps over the merged columns (104 characters wide per copy): half its lines
    # in each of the two rows.
    lines = math.ceil(len(ADDIN_MISSING_NOTE) / (95 * len(copies)))
    for row in (1, 2):
        sheet.set_row(row, 15 * math.ceil(lines / 2) + 2)
    for copy, data in enumerate(copies, start=1):
        first = 5 * (copy - 1)
        if len(copies) > 1:
            sheet.write_string(3, first, f"Copy {copy}", styles.subtitle)
        for offset, (header, width) in enumerate((("Severity", 10), ("Sheet", 16),
                                                  ("Cell", 8), ("Message", 70))):
            sheet.write_string(4, first + offset, header, styles.header)
            sheet.set_column(first + offset, first + offset, width)
        anchor = live_check_rows(form, data)[0][0]
        sheet.write_dynamic_array_formula(5, first, 5, first,
                                          addin_guarded(check_formula(form, copy)),
                                          None, anchor or "")
    sheet.freeze_panes(5, 0)
    print_ready(sheet, header_row=4)
    sheet.protect("", PROTECTION)


def check_formula(form: Form, copy: int = 1) -> str:
    """The live check formula of one copy: the form's check function over every section's
    block (sheet-qualified, absolute), in section order."""
    blocks = []
    for section in form.sections:
        area = range_ref(*section_block(section), absolute=True)
        blocks.append(sheet_ref(copy_sheet_name(section.sheet, copy), area))
    return f"={form.live_check}({','.join(blocks)})"


def entry_cell(section: Section, key: str, row: int = 0) -> str:
    """The A1 cell of a field: a record's value cell, or a table's cell in entry row ``row``
    (0 = the first)."""
    if isinstance(section, RecordSection):
        return section.cell(key)
    return cell_ref(section.first_data_row + row, section.column_index(key))


__all__ = [
    "ADDIN_HELP",
    "ADDIN_MISSING",
    "ADDIN_MISSING_NOTE",
    "BUILD_TIME",
    "CHECKS_SHEET",
    "INSTRUCTIONS_SHEET",
    "PROTECTION",
    "FormRecord",
    "SheetLayout",
    "Styles",
    "add_form_sheets",
    "add_instructions_sheet",
    "check_formula",
    "copy_sheet_name",
    "entry_cell",
    "validate_cells",
    "write_form",
    "write_record",
    "write_sections",
    "write_table",
    "write_value",
]
