"""A table view model over a pandas DataFrame, with status colours."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from clusterbook.styles import BAND_COLOURS, STATUS_COLOURS

if TYPE_CHECKING:
    import pandas as pd

_COLOURS = {**STATUS_COLOURS, **BAND_COLOURS,
            "error": STATUS_COLOURS["Low performing"], "warning": STATUS_COLOURS["Watch"]}
Index = QModelIndex | QPersistentModelIndex


def display(value: Any) -> str:
    """How a value reads in a cell: blanks for missing, whole numbers without '.0'."""
    if value is None or value is getattr(__import__("pandas"), "NA", None):
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return str(value)


class FrameModel(QAbstractTableModel):
    """Shows a DataFrame; text cells named in the status palette get its colours."""

    def __init__(self, frame: pd.DataFrame | None = None):
        super().__init__()
        self._frame = frame
        self._columns: list[str] = []
        self._rows: list[list[Any]] = []
        if frame is not None:
            self.set_frame(frame)

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame
        self._columns = [str(column) for column in frame.columns]
        self._rows = frame.astype(object).values.tolist()
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame | None:
        return self._frame

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and \
                isinstance(value, str) and value in _COLOURS:
            colour = _COLOURS[value]
            hex_code = colour.fill if role == Qt.ItemDataRole.BackgroundRole else colour.text
            return QBrush(QColor(f"#{hex_code}"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if section < len(self._columns) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()

        def key(row: list[Any]) -> tuple[int, Any]:
            value = row[column]
            missing = value is None or (isinstance(value, float) and math.isnan(value)) or \
                str(value) in ("", "<NA>")
            return (1, "") if missing else (0, value if isinstance(value, int | float)
                                            else str(value).casefold())

        present = [row for row in self._rows if key(row)[0] == 0]
        missing = [row for row in self._rows if key(row)[0] == 1]
        try:
            present.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        except TypeError:
            present.sort(key=lambda row: str(row[column]).casefold(),
                         reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = present + missing
        self.layoutChanged.emit()
