"""Arguments exactly as xlwings hands them to a worksheet function on Windows.

Excel gives a range as rows of cells; xlwings' own conversion stages (used here, not copied)
then turn a single cell into a scalar, a one-row or one-column range into a flat list and a
bigger range into a list of rows, unless the argument is declared ``ndim=2``. Numbers are
floats, empty and error cells None, dates datetime.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlwings.conversion.standard import AdjustDimensionsStage, Ensure2DStage


class _Context:
    def __init__(self, value: Any):
        self.value = value
        self.meta: dict[str, Any] = {}


def cell(value: Any) -> Any:
    """One cell's value as Excel holds it: numbers as floats, dates as datetime."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def excel_range(rows: list[list[Any]], *, ndim: int | None = None) -> Any:
    """A worksheet range (rows of cells) as xlwings passes it to a function argument."""
    context = _Context([[cell(value) for value in row] for row in rows])
    Ensure2DStage()(context)
    AdjustDimensionsStage({"ndim": ndim} if ndim else {})(context)
    return context.value


def row(values: list[Any]) -> Any:
    """A one-row range: a flat list (a single cell: its value)."""
    return excel_range([values])


def column(values: list[Any]) -> Any:
    """A one-column range: a flat list too."""
    return excel_range([[value] for value in values])


def table(rows: list[list[Any]]) -> Any:
    """A range given to an argument declared ``ndim=2``: always a list of rows."""
    return excel_range(rows, ndim=2)
