"""Targets of ClusterBook's buttons in Excel.

The buttons are VBA modules kept as text in the 'macros' folder; each calls one function here
through the xlwings add-in, e.g. ``RunPython "import clusterbook.macros;
clusterbook.macros.refresh_flags()"``. A target is thin: it takes the book that pressed the
button (``xw.Book.caller()``), hands its values to a ClusterBook job and writes the answer
back. A problem with the data is shown in a message box as a sentence, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Final

import pandas as pd
import xlwings as xw

from clusterbook.domain.errors import ClusterBookError
from clusterbook.domain.rules import classify_clusters
from clusterbook.reports.flags_book import FLAG_COLUMNS, current_view
from clusterbook.rounddata import find_round_table

#: The sheet Refresh flags writes, and the title that marks it as ClusterBook's own.
FLAGS_SHEET: Final = "Flags"
FLAGS_TITLE: Final = "ClusterBook flags"
MESSAGE_TITLE: Final = "ClusterBook"

Rows = list[list[Any]]


def refresh_flags() -> None:
    """Button 'Refresh flags': flag every cluster of the book's round data and write each
    cluster's status in the last round to the 'Flags' sheet, highest priority first."""
    book = xw.Book.caller()
    try:
        names = [sheet.name for sheet in book.sheets]
        if FLAGS_SHEET in names:
            _check_ours(book.sheets[FLAGS_SHEET])
        values = flags_sheet(book.name, ((sheet.name, sheet_values(sheet))
                                         for sheet in book.sheets if sheet.name != FLAGS_SHEET))
        sheet = (book.sheets[FLAGS_SHEET] if FLAGS_SHEET in names
                 else book.sheets.add(FLAGS_SHEET, after=book.sheets[len(names) - 1]))
        sheet.clear_contents()
        sheet.range("A1").value = values
    except ClusterBookError as error:
        book.app.alert(str(error), title=MESSAGE_TITLE, mode="critical")


def sheet_values(sheet: Any) -> Rows:
    """A sheet's cells from A1 to the end of its used range, as rows ('' when empty)."""
    used = sheet.used_range
    rows = used.options(ndim=2).value
    left = [""] * (used.column - 1)
    top = [[""] * (len(left) + len(rows[0]))] * (used.row - 1)
    return top + [left + ["" if value is None else value for value in row] for row in rows]


def _check_ours(sheet: Any) -> None:
    title = sheet.range("A1").value
    if title not in (None, FLAGS_TITLE):
        raise ClusterBookError(f"the book already has a sheet named '{FLAGS_SHEET}' that "
                               f"ClusterBook did not write; rename it and press Refresh flags "
                               f"again (nothing was changed)")


def flags_sheet(book_name: str, sheets: Iterable[tuple[str, Rows]], *,
                now: dt.datetime | None = None, **rules: Any) -> Rows:
    """The values of the 'Flags' sheet for the round data found in ``sheets``.

    Rows: the title, a line saying what this is, a blank row, the headers, then one row per
    cluster (its status in the last round), listed clusters by priority first. ``rules`` are
    the keyword arguments of ``classify_clusters``.
    """
    frame, source = find_round_table(book_name, sheets)
    flags = classify_clusters(frame, source=source, **rules)
    rounds = flags.attrs["rounds"]
    current = current_view(flags)
    columns = [(key, header) for key, header, *_ in FLAG_COLUMNS if key in current.columns]
    when = (now or dt.datetime.now()).strftime("%d %b %Y %H:%M")
    note = (f"Status in {rounds[-1]}, highest priority first, from sheet '{source.sheet}' "
            f"({len(current):,} clusters, {len(rounds)} rounds). Refreshed {when}.")
    body = [_cells(current[key]) for key, _ in columns]
    width = len(columns)
    # Excel takes a block of equal rows, so the lines above the table are padded.
    return [_padded([FLAGS_TITLE], width), _padded([as_text(note)], width), [None] * width,
            [header for _, header in columns], *map(list, zip(*body, strict=True))]


def _padded(values: list[Any], width: int) -> list[Any]:
    return values + [None] * (width - len(values))


def _cells(column: pd.Series) -> list[Any]:
    return [None if pd.isna(value) or value == "" else value.item() if hasattr(value, "item")
            else as_text(value) if isinstance(value, str) else value
            for value in column.astype(object).tolist()]


def as_text(value: str) -> str:
    """Text Excel keeps as typed: the leading apostrophe stops '=...' becoming a formula and
    '0123' a number (Excel shows the text without it)."""
    return "'" + value
