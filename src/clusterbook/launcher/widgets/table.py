"""A table view model over a pandas DataFrame, with status colours; and a table whose every
value can be read: long text is elided in its cell, shown whole on hover and in a detail pane
under the table for the chosen row."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from clusterbook.domain.rule_parameters import Status
from clusterbook.styles import BAND_COLOURS, STATUS_COLOURS

if TYPE_CHECKING:
    import pandas as pd

_COLOURS = {**STATUS_COLOURS, **BAND_COLOURS,
            "error": STATUS_COLOURS[Status.LOW_PERFORMING.label],
            "warning": STATUS_COLOURS[Status.WATCH.label]}
Index = QModelIndex | QPersistentModelIndex
#: The widest a column grows to fit its text, in average character widths; longer text is
#: elided ('…') and read whole on hover or in the detail pane.
MAX_COLUMN_CHARACTERS = 40


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
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display(value)
            return text if len(text) > 12 else None
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


def fit_columns(view: QTableView) -> None:
    """Size columns to their text, none wider than :data:`MAX_COLUMN_CHARACTERS` unless the
    view has room to spare: a long value is elided in its cell rather than pushing the next
    columns out of sight."""
    view.resizeColumnsToContents()
    widest = view.fontMetrics().averageCharWidth() * MAX_COLUMN_CHARACTERS
    wanted = {column: view.columnWidth(column)
              for column in range(view.horizontalHeader().count())}
    capped = {column: width for column, width in wanted.items() if width > widest}
    for column in capped:
        view.setColumnWidth(column, widest)
    spare = view.viewport().width() - sum(min(width, widest) for width in wanted.values())
    for column, width in sorted(capped.items(), key=lambda item: item[1]):
        if spare <= 0:
            break
        grow = min(width - widest, spare // len(capped))
        view.setColumnWidth(column, widest + grow)
        spare -= grow


class DetailedTable(QWidget):
    """A table view with, under it, every value of the chosen row written out in full."""

    def __init__(self, view: QTableView, *, hint: str = "Choose a row to read it in full."):
        super().__init__()
        self.view, self.hint = view, hint
        self._fitting = False
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setWordWrap(False)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.detail = QLabel(hint)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("color: #303030; padding: 4px;")
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 2 + 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view, 1)
        layout.addWidget(self.detail)
        model = view.model()
        view.viewport().installEventFilter(self)
        view.selectionModel().currentRowChanged.connect(self._show)
        model.modelReset.connect(self._first_row)
        model.layoutChanged.connect(lambda: self._show(view.currentIndex()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """When the table's visible area changes width, share it out again among the long
        columns."""
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize and \
                self.view.model().rowCount() > 0 and not self._fitting:
            self._fitting = True  # a scroll bar coming or going resizes the area again
            try:
                fit_columns(self.view)
            finally:
                self._fitting = False
        return super().eventFilter(watched, event)

    def _first_row(self) -> None:
        """After new rows come in, the first is chosen, so the pane shows a whole row."""
        self.detail.setText(self.hint)
        model = self.view.model()
        if model.rowCount() > 0:
            self.view.setCurrentIndex(model.index(0, 0))

    def _show(self, current: QModelIndex, _previous: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        self.detail.setText(self.row_text(current.row()) if current.isValid() else self.hint)

    def row_text(self, row: int) -> str:
        """'Header: value · Header: value …' for every non-blank value of a row."""
        model = self.view.model()
        parts = []
        for column in range(model.columnCount()):
            text = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
            if text:
                header = model.headerData(column, Qt.Orientation.Horizontal,
                                          Qt.ItemDataRole.DisplayRole)
                parts.append(f"{header}: {text}")
        return "  ·  ".join(parts)
