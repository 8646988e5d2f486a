"""Long tables written straight into a finished XlsxWriter book, as worksheet XML.

XlsxWriter spends several microseconds on every cell; a national flags book has millions. Here
a sheet's title and header rows, column widths, filter, conditional formats and print settings
are written by XlsxWriter as usual, and its data rows are then put into the saved file's
worksheet part, assembled from the formatted distinct values of each column (see textrows).
Cells are inline strings, numbers and booleans with their A1 references, as Excel writes them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from clusterbook.excel.text_rows import Piece, distinct_values, joined_rows, text_table
from clusterbook.forms.cells import column_letter, range_ref

#: Characters a cell cannot hold as they are (a carriage return would be read as a line feed).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
#: Text that reads as an escape itself ('_x0041_'): its underscore is escaped, as Excel does.
_ESCAPE_LIKE: Final = re.compile("(_x[0-9a-fA-F]{4}_)")
_DIMENSION: Final = re.compile(r'<dimension ref="[^"]*"/>')
#: The book is packed with zlib's fastest level: the rows are written at every run and most of
#: the time went to packing them; the book is about a fifth larger.
_COMPRESS_LEVEL: Final = 1


@dataclass(frozen=True)
class SheetRows:
    """Data rows for one sheet of a book: the columns (left to right, from column A), the
    style (XlsxWriter format index, 0 for none) of each, and the 1-based row of the first."""

    sheet_index: int  # XlsxWriter's worksheet index (0 for the first sheet added)
    columns: Sequence[pd.Series]
    styles: Sequence[int]
    first_row: int
    #: Dates and times are written as Excel's serial numbers with this style, whatever their
    #: column's style, as XlsxWriter's ``write_datetime`` does (0: as ISO text).
    date_style: int = 0
    #: Times of day (datetime values) are written with this style instead, when given.
    moment_style: int = 0


#: Excel's day 0 (1900-01-00); its day 60 is the 29 February 1900 that never was.
_EPOCH: Final = dt.datetime(1899, 12, 31)


def _serial(value: dt.date) -> float:
    """A date or time as Excel's serial number, as XlsxWriter computes it."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    delta = moment - _EPOCH
    days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return days + 1 if days > 59 else days


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    return _NOT_XML.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _cell(value: object, style: int, date_style: int = 0, moment_style: int = 0) -> str:
    """The end of a cell element after its reference: attributes and content."""
    if moment_style and isinstance(value, dt.datetime):
        value, style = _serial(value), moment_style
    elif date_style and isinstance(value, dt.date):
        value, style = _serial(value), date_style
    style_text = f' s="{style}"' if style else ""
    if value is None or (isinstance(value, str) and not value):
        return f'"{style_text}/>'
    if isinstance(value, bool | np.bool_):
        return f'"{style_text} t="b"><v>{int(bool(value))}</v></c>'
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if np.isnan(number):
            return f'"{style_text}/>'
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return f'"{style_text}><v>{text}</v></c>'
    text = str(value.isoformat() if hasattr(value, "isoformat") else value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'"{style_text} t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


def _pieces(rows: SheetRows) -> list[Piece]:
    """The pieces of every row: '<row r="N"><c r="AN' then, for each column, the end of its
    cell and the start of the next one's reference ('"...</c><c r="B' and 'N')."""
    count = len(rows.columns[0]) if rows.columns else 0
    numbers = [str(rows.first_row + offset) for offset in range(count)]
    every_row = np.arange(count, dtype=np.int32)
    number_texts = text_table([number.encode() for number in numbers])
    pieces: list[Piece] = [(every_row, text_table(
        [f'<row r="{number}"><c r="A{number}'.encode() for number in numbers]))]
    for index, (column, style) in enumerate(zip(rows.columns, rows.styles, strict=True)):
        codes, values = distinct_values(column)
        last = index == len(rows.columns) - 1
        after = "</row>" if last else f'<c r="{column_letter(index + 2)}'
        pieces.append((codes, text_table([
            (_cell(value, style, rows.date_style, rows.moment_style) + after).encode("utf-8")
            for value in values])))
        if not last:
            pieces.append((every_row, number_texts))
    return pieces


def fill_rows(book_path: Path, sheets: Sequence[SheetRows]) -> None:
    """Put data rows into the worksheets of a closed XlsxWriter book, after the rows it has."""
    wanted = {f"xl/worksheets/sheet{rows.sheet_index + 1}.xml": rows for rows in sheets}
    rebuilt = book_path.with_name(book_path.name + ".rows")
    try:
        with zipfile.ZipFile(book_path) as source, \
                zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED,
                                compresslevel=_COMPRESS_LEVEL) as target:
            for item in source.infolist():
                rows = wanted.get(item.filename)
                if rows is None:
                    with source.open(item) as part, target.open(item.filename, "w") as copy:
                        shutil.copyfileobj(part, copy)
                    continue
                _write_sheet(source.read(item).decode("utf-8"), rows, target, item)
        os.replace(rebuilt, book_path)
    finally:
        rebuilt.unlink(missing_ok=True)


def _write_sheet(xml: str, rows: SheetRows, target: zipfile.ZipFile,
                 item: zipfile.ZipInfo) -> None:
    count = len(rows.columns[0]) if rows.columns else 0
    if count:
        last_row = rows.first_row + count - 1
        extent = range_ref(1, 1, last_row, len(rows.columns))
        xml = _DIMENSION.sub(f'<dimension ref="{extent}"/>', xml, count=1)
    head, tail = xml.split("</sheetData>", 1) if "</sheetData>" in xml else (
        xml.replace("<sheetData/>", "<sheetData>", 1).split("<sheetData>", 1)[0] + "<sheetData>",
        xml.split("<sheetData/>", 1)[1])
    with target.open(item.filename, "w", force_zip64=True) as part:
        part.write(head.encode("utf-8"))
        if count:
            for block in joined_rows(_pieces(rows), count):
                part.write(block.data)
        part.write(b"</sheetData>" + tail.encode("utf-8"))
