"""A horizontal bar chart drawn with QPainter (no chart module needed)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from clusterbook.domain.rule_parameters import Status
from clusterbook.styles import STATUS_COLOURS


class BarChart(QWidget):
    """Labelled bars, largest value first; the title says what is counted."""

    def __init__(self, title: str = "",
                 colour: str = STATUS_COLOURS[Status.LOW_PERFORMING.label].text):
        super().__init__()
        self.title = title
        self.colour = QColor(f"#{colour}")
        self.bars: list[tuple[str, float]] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(260)

    def set_bars(self, bars: list[tuple[str, float]], title: str | None = None) -> None:
        self.bars = sorted(bars, key=lambda bar: (-bar[1], bar[0]))
        if title is not None:
            self.title = title
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 40 + 20 * max(len(self.bars), 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height() + 4
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft,
                         self.title)
        if not self.bars:
            painter.drawText(QRectF(0, line, self.width(), line), "Nothing to show yet.")
            return
        label_width = min(max(metrics.horizontalAdvance(label) for label, _ in self.bars) + 8,
                          self.width() // 2)
        top = line + 4
        row = max(min((self.height() - top) / len(self.bars), 24.0), 12.0)
        largest = max(value for _, value in self.bars) or 1
        space = self.width() - label_width - 40
        for index, (label, value) in enumerate(self.bars):
            y = top + index * row
            if y + row > self.height() + 1:
                break
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(0, y, label_width - 6, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight,
                                                label_width - 6))
            width = space * value / largest
            painter.fillRect(QRectF(label_width, y + row * 0.15, width, row * 0.7), self.colour)
            painter.drawText(QRectF(label_width + width + 4, y, 40, row),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{value:g}")
