"""Draw docs/addin-ribbon.png: the ClusterBook tab as the add-in's ribbon XML defines it.

A drawing made from clusterbook.excel.addin_file.BUTTONS (labels and tips), not a screenshot
of Excel: run ``QT_QPA_PLATFORM=offscreen python docs/draw_addin_ribbon.py`` after changing the
buttons.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication

from clusterbook.excel.addin_file import BUTTONS

OUT = Path(__file__).with_name("addin-ribbon.png")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    width, height = 900, 250
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#f3f3f3"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("DejaVu Sans", 10)
    painter.setFont(font)
    x = 12
    for name in ("File", "Home", "Insert", "Formulas", "Data", "Review", "View", "ClusterBook"):
        box = QRectF(x, 8, 14 + 8 * len(name), 28)
        if name == "ClusterBook":
            painter.fillRect(box, QColor("#ffffff"))
            painter.setPen(QPen(QColor("#217346"), 2))
            painter.drawLine(box.bottomLeft(), box.bottomRight())
        painter.setPen(QColor("#217346" if name == "ClusterBook" else "#333333"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
        x += box.width() + 6
    panel = QRectF(8, 40, width - 16, 170)
    painter.fillRect(panel, QColor("#ffffff"))
    painter.setPen(QColor("#d0d0d0"))
    painter.drawRect(panel)
    x = 20
    for _key, label, _callback, _image, _tip in BUTTONS:
        box = QRectF(x, 52, 150, 120)
        painter.setPen(QColor("#217346"))
        painter.setBrush(QColor("#e8f3ec"))
        painter.drawRoundedRect(QRectF(x + 51, 58, 48, 48), 6, 6)
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(x, 112, 150, 56), Qt.AlignmentFlag.AlignHCenter
                         | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, label)
        x += box.width() + 20
    painter.setPen(QColor("#666666"))
    painter.drawText(QRectF(8, 182, width - 16, 24), Qt.AlignmentFlag.AlignCenter,
                     "This workbook")
    painter.setFont(QFont("DejaVu Sans", 9, italic=True))
    painter.drawText(QRectF(8, 216, width - 16, 30), Qt.AlignmentFlag.AlignCenter,
                     "A drawing of the tab the add-in defines (its ribbon XML), not a "
                     "screenshot of Excel; Excel shows its own icons.")
    painter.end()
    image.save(str(OUT))
    del app


if __name__ == "__main__":
    main()
