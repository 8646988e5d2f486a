"""CSV tables as ClusterBook writes them: fast at national scale and safe to open in Excel.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read by a spreadsheet as a formula; such text is written with a leading apostrophe (the OWASP
advice against CSV injection). Numbers are written as numbers.

The writer works once per distinct value, not once per cell: each column becomes codes into
the texts of its distinct values, neighbouring columns with few distinct values are combined
into one, and rows are joined block by block (see textrows).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from clusterbook.excel.text_rows import distinct_values, joined_rows, text_table
from clusterbook.excel.write import atomic_path

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_QUOTE_WHEN: Final = re.compile('[,";\n\r]')
#: Texts joined by \x01 that hold a character to quote or drop, or a cell that starts like a
#: formula (a \x01 in a text only sends it the slow, exact way).
_UNSAFE: Final = re.compile('[,";\n\r\0]|(?:^|\x01)[=+\\-@\t]')
#: Columns are combined while the combination has at most this many distinct texts.
_COMBINED_TEXTS: Final = 1 << 16
LINE_END: Final = "\r\n"


def safe_text(text: str) -> str:
    """Text as a CSV cell that no spreadsheet runs as a formula, quoted where CSV needs it."""
    if "\0" in text:
        text = text.replace("\0", "")  # a NUL is no character in a CSV; the writer relies on it
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    if _QUOTE_WHEN.search(text):
        text = '"' + text.replace('"', '""') + '"'
    return text


def number_text(value: float | int, float_format: str | None = None) -> str:
    """A number as a CSV cell: whole numbers held as integers plainly; other numbers as
    Python writes them, or by ``float_format`` ('%.10g': ten significant digits, '197' for
    197.0)."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    if math.isnan(value):
        return ""
    return repr(float(value)) if float_format is None else float_format % value


def cell_text(value: object, float_format: str | None = None) -> str:
    """Any value as a CSV cell (blank for missing values)."""
    if value.__class__ is str:
        return safe_text(str(value))
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, int | float | np.integer | np.floating):
        return number_text(value.item() if isinstance(value, np.generic) else value,
                           float_format)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def _cell_texts(values: Sequence[object], float_format: str | None) -> list[str]:
    """The cell texts of many values; plain text (the usual case) is checked in one pass."""
    if all(value.__class__ is str for value in values):
        joined = "\x01".join(values)  # type: ignore[arg-type]
        if not _UNSAFE.search(joined):
            return list(values)  # type: ignore[arg-type]
    return [cell_text(value, float_format) for value in values]


def _coded(column: pd.Series, float_format: str | None) -> tuple[np.ndarray, list[str]]:
    """Codes (0..k-1) into the cell texts of a column's distinct values."""
    codes, values = distinct_values(column)
    return codes, _cell_texts(values, float_format)


def _groups(frame: pd.DataFrame, float_format: str | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """The row's cells as a few combined columns: codes, and the UTF-8 text (with its
    delimiter) of every code as rows of bytes padded with zeros."""
    groups: list[tuple[np.ndarray, list[str]]] = []
    for _, column in frame.items():
        codes, texts = _coded(column, float_format)
        if groups and len(groups[-1][1]) * len(texts) <= max(_COMBINED_TEXTS, len(groups[-1][1])):
            before, before_texts = groups[-1]
            combined = [f"{left},{right}" for left in before_texts for right in texts]
            groups[-1] = (before * len(texts) + codes, combined)
        else:
            groups.append((codes, texts))
    result = []
    for index, (codes, texts) in enumerate(groups):
        end = LINE_END if index == len(groups) - 1 else ","
        result.append((codes, text_table([(text + end).encode("utf-8") for text in texts])))
    return result


def write_csv(frame: pd.DataFrame, path: Path | str, *, columns: Sequence[str] | None = None,
              headers: Sequence[str] | None = None, bom: bool = True,
              float_format: str | None = None) -> Path:
    """Write a table as CSV, atomically; UTF-8 with a byte-order mark (so that Excel reads
    it right) unless ``bom`` is False. Numbers are written as pandas writes them, or by
    ``float_format``."""
    path = Path(path)
    if columns is not None:
        frame = frame[list(columns)]
    names = list(headers) if headers is not None else [str(name) for name in frame.columns]
    pieces = _groups(frame, float_format)
    with atomic_path(path) as temporary, open(temporary, "wb") as out:
        out.write(("\ufeff" if bom else "").encode("utf-8"))
        out.write((",".join(safe_text(name) for name in names) + LINE_END).encode("utf-8"))
        for block in joined_rows(pieces, len(frame)):
            out.write(block.data)
    return path
