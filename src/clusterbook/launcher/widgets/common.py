"""Pieces every page uses: a file chooser with recent files, progress, error dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clusterbook.launcher.settings import Settings


def heading(text: str, note: str = "") -> QWidget:
    """A page title with one plain sentence under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    title = QLabel(text)
    font = QFont(title.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    title.setFont(font)
    layout.addWidget(title)
    if note:
        sentence = QLabel(note)
        sentence.setWordWrap(True)
        sentence.setStyleSheet("color: #505050;")
        layout.addWidget(sentence)
    return box


class PathChooser(QWidget):
    """A path box with Browse and a menu of recent choices; emits ``chosen(path)``."""

    chosen = Signal(Path)

    def __init__(self, settings: Settings, page: str, *, caption: str, file_filter: str = "",
                 folder: bool = False, save: bool = False, placeholder: str = ""):
        super().__init__()
        self.settings, self.page = settings, page
        self.caption, self.file_filter, self.folder, self.save = caption, file_filter, folder, save
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.returnPressed.connect(self._typed)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self.ask)
        # A push button keeps room for its menu arrow beside the label (a tool button draws
        # the arrow over the label's last letters in some styles and scalings).
        self.recent = QPushButton("Recent")
        self.recent.setToolTip("Files chosen here before")
        self.recent.setMenu(QMenu(self.recent))
        self.recent.menu().aboutToShow.connect(self._fill_recent)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse)
        layout.addWidget(self.recent)

    def ask(self) -> None:
        """Open the file dialog in the remembered folder."""
        start = self.settings.folder(self.page)
        if self.folder:
            path = QFileDialog.getExistingDirectory(self, self.caption, start)
        elif self.save:
            path, _ = QFileDialog.getSaveFileName(self, self.caption, start, self.file_filter)
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.caption, start, self.file_filter)
        if path:
            self.set_path(Path(path))

    def set_path(self, path: Path) -> None:
        self.edit.setText(str(path))
        self.chosen.emit(path)

    def _typed(self) -> None:
        if self.edit.text().strip():
            self.chosen.emit(Path(self.edit.text().strip()))

    def _fill_recent(self) -> None:
        menu = self.recent.menu()
        menu.clear()
        items = self.settings.recent_files(self.page)
        for item in items:
            menu.addAction(item, lambda item=item: self.set_path(Path(item)))
        if not items:
            menu.addAction("No recent files").setEnabled(False)


class ProgressPanel(QWidget):
    """A progress bar, what is happening, and Cancel."""

    cancel_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setToolTip("Stop the job (Esc)")
        self.cancel.clicked.connect(self.cancel_clicked)
        layout.addWidget(self.label, 2)
        layout.addWidget(self.bar, 3)
        layout.addWidget(self.cancel)
        self.setVisible(False)

    def begin(self, title: str) -> None:
        self.label.setText(title)
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)
        self.setVisible(True)

    def report(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(f"%v of %m  {message}" if total > 3 else message)
        if message:
            self.label.setText(message)

    def end(self) -> None:
        self.setVisible(False)


def show_error(parent: QWidget, message: str, details: str = "") -> None:
    """A plain-language error, with the technical details folded away."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("ClusterBook")
    box.setText(message)
    if details:
        box.setDetailedText(details)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
