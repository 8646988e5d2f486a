"""Filled forms as DataFrames with provenance, for the merge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

import pandas as pd

from clusterbook.domain.submission.model import Document
from clusterbook.domain.typed_values import typed_value
from clusterbook.forms import (
    RecordSection,
)
from clusterbook.forms.cells import parse_ref

PROVENANCE: Final = ("file", "sheet", "row")


def section_frames(documents: Iterable[Document], *, typed: bool = True
                   ) -> dict[str, pd.DataFrame]:
    """Every section of every document as one DataFrame per section key, with provenance.

    Columns: file, sheet, row (the sheet row; for a record, the row of its first value), then
    one column per field. With ``typed``, counts, numbers and dates are read as the values they
    show when they can be; other values stay as typed.
    """
    parts: dict[str, list[dict[str, object]]] = {}
    keys: dict[str, list[str]] = {}
    for document in documents:
        for section in document.form.sections:
            keys.setdefault(section.key, [item.key for item in section.fields])
            convert = {item.key: item for item in section.fields}
            rows = parts.setdefault(section.key, [])
            if isinstance(section, RecordSection):
                record = document.records.get(section.key)
                if record is None:
                    continue
                first = min((parse_ref(cell)[0] for cell in record.cells.values()),
                            default=section.first_row)
                row: dict[str, object] = {"file": document.file, "sheet": record.sheet,
                                          "row": first}
                for key, value in record.values.items():
                    row[key] = typed_value(convert[key], value) if typed else value
                rows.append(row)
            else:
                table = document.tables.get(section.key)
                if table is None:
                    continue
                for sheet_row, values in zip(table.row_numbers, table.rows, strict=True):
                    entry: dict[str, object] = {"file": document.file, "sheet": table.sheet,
                                                "row": sheet_row}
                    for key, value in zip(table.keys, values, strict=True):
                        entry[key] = typed_value(convert[key], value) if typed else value
                    rows.append(entry)
    return {key: pd.DataFrame(rows, columns=[*PROVENANCE, *keys[key]], dtype=object)
            for key, rows in parts.items()}


def as_date(value: object) -> dt.date | None:
    """A date value as a date (datetimes lose their time of day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
