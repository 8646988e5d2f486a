"""The report book's formats and the cell writers its sheets share."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook.excel.write import DATE_FORMAT, BookFormats
from clusterbook.forms.ccpm_bank import STATUSES
from clusterbook.styles import BAND_COLOURS, INPUT_CELL

_DATE_FORMAT = DATE_FORMAT
LINE_HEIGHT = 15.0


class Formats(BookFormats):
    """The report book's cell formats, one per look (band colours by status)."""

    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        add = book.add_format
        self.line = add({"font_color": "404040"})
        self.text = add({"text_wrap": True, "valign": "top", "border": 1,
                         "border_color": "D9D9D9"})
        self.bold_text = add({"bold": True, "text_wrap": True, "valign": "top", "border": 1,
                              "border_color": "D9D9D9"})
        self.indent = add({"indent": 1, "text_wrap": True, "valign": "top", "border": 1,
                           "border_color": "D9D9D9"})
        self.centre = add({"align": "center", "valign": "top", "border": 1,
                           "border_color": "D9D9D9"})
        self.bold_centre = add({"bold": True, "align": "center", "valign": "top", "border": 1,
                                "border_color": "D9D9D9"})
        self.score = add({"num_format": "0.0", "valign": "top", "border": 1,
                          "border_color": "D9D9D9"})
        self.bold_score = add({"num_format": "0.0", "bold": True, "valign": "top",
                               "border": 1, "border_color": "D9D9D9"})
        self.count = add({"num_format": "#,##0", "valign": "top", "border": 1,
                          "border_color": "D9D9D9"})
        # A count with text to its right: centred, so the two never touch.
        self.centre_count = add({"num_format": "#,##0", "valign": "top", "border": 1,
                                 "border_color": "D9D9D9", "align": "center"})
        self.bold_count = add({"num_format": "#,##0", "bold": True, "valign": "top",
                               "border": 1, "border_color": "D9D9D9"})
        self.percent = add({"num_format": "0%", "valign": "top", "border": 1,
                            "border_color": "D9D9D9"})
        self.bold_percent = add({"num_format": "0%", "bold": True, "valign": "top",
                                 "border": 1, "border_color": "D9D9D9"})
        self.date = add({"num_format": _DATE_FORMAT, "valign": "top", "border": 1,
                         "border_color": "D9D9D9", "align": "left"})
        self.computed = add({"bg_color": "F2F2F2", "text_wrap": True, "valign": "top",
                             "border": 1, "border_color": "D9D9D9"})
        self.computed_date = add({"bg_color": "F2F2F2", "num_format": _DATE_FORMAT,
                                  "valign": "top", "border": 1, "border_color": "D9D9D9",
                                  "align": "left"})
        # Centred: apart from the status written left-aligned beside it.
        self.computed_score = add({"bg_color": "F2F2F2", "num_format": "0.0",
                                   "valign": "top", "border": 1, "border_color": "D9D9D9",
                                   "align": "center"})
        self.input = add({"bg_color": INPUT_CELL.fill, "text_wrap": True, "valign": "top",
                          "border": 1, "border_color": "BFBFBF", "locked": False})
        self.input_date = add({"bg_color": INPUT_CELL.fill, "num_format": _DATE_FORMAT,
                               "valign": "top", "border": 1, "border_color": "BFBFBF",
                               "locked": False, "align": "left"})
        self.input_centre = add({"bg_color": INPUT_CELL.fill, "align": "center",
                                 "valign": "top", "border": 1, "border_color": "BFBFBF",
                                 "locked": False, "font_size": 9})
        self.big_date = add({"bold": True, "font_size": 12, "num_format": DATE_FORMAT,
                             "align": "left"})
        self.date_left = add({"num_format": DATE_FORMAT, "align": "left"})
        self.bold = add({"bold": True})
        self.warning = add({"font_color": "9C0006", "bold": True})
        self.ok = add({"font_color": "006100"})
        self.band: dict[str, Format] = {}
        self.band_fill: dict[str, Format] = {}
        for status, colour in BAND_COLOURS.items():
            self.band[status] = add({"bg_color": colour.fill, "font_color": colour.text,
                                     "bold": True, "align": "center", "valign": "top",
                                     "border": 1, "border_color": "FFFFFF"})
            # Conditional formats take only font, fill and border.
            self.band_fill[status] = add({"bg_color": colour.fill, "font_color": colour.text,
                                          "bold": True})


def status_cell(sheet: Worksheet, row: int, column: int, status: str, fmt: Formats) -> None:
    """A status in its band colour."""
    sheet.write_string(row, column, status, fmt.band.get(status, fmt.centre))


def score_cell(sheet: Worksheet, row: int, column: int, score: float, cell_format: Format
                ) -> None:
    """A score, or an empty cell when there is none."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        sheet.write_blank(row, column, None, cell_format)
    else:
        sheet.write_number(row, column, float(score), cell_format)


def band_conditional(sheet: Worksheet, first_row: int, column: int, last_row: int,
                      fmt: Formats) -> None:
    """Status cells coloured by their band as they change (Annex I's final status)."""
    for status in STATUSES:
        sheet.conditional_format(first_row, column, last_row, column, {
            "type": "cell", "criteria": "==", "value": f'"{status}"',
            "format": fmt.band_fill[status]})


def row_height(text: str, width: float) -> float:
    """A row height that shows wrapped text in a column ``width`` characters wide."""
    per_line = max(int(width * 1.05), 1)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
    return max(1, lines) * LINE_HEIGHT


def write_headers(sheet: Worksheet, row: int, headers: Sequence[str], fmt: Formats,
             first_column: int = 0) -> None:
    """A row of column headers."""
    for offset, text in enumerate(headers):
        sheet.write_string(row, first_column + offset, text, fmt.header)


def date_text(day: dt.date | None) -> str:
    """A date in a sentence, in the books' one date style."""
    return day.strftime("%d/%m/%Y") if day else "no date given"


def excel_serial(day: dt.date) -> float:
    """A date as the spreadsheet's serial number."""
    return float((day - dt.date(1899, 12, 30)).days)


def protect(sheet: Worksheet) -> None:
    """Lock what ClusterBook computed; the yellow cells stay open (no password)."""
    sheet.protect("", {"format_columns": True, "format_rows": True,
                       "select_locked_cells": True, "select_unlocked_cells": True})


def input_cell(sheet: Worksheet, row: int, column: int, value: object, cell_format: Format
                ) -> None:
    """An input cell, empty or holding what the cluster typed (text stays text)."""
    if value is None or value == "":
        sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value,
                                                                                  dt.time())
        sheet.write_datetime(row, column, moment, cell_format)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, str(value), cell_format)
