"""The main window: pages on the left, the chosen page on the right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from clusterbook import __version__
from clusterbook.launcher.settings import Settings
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.worker import JobRunner

DEFAULT_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    """Every job a click away; files can be dropped anywhere on the window."""

    def __init__(self, settings: Settings, runner: JobRunner, pages: list[Page]):
        super().__init__()
        self.settings, self.runner, self.pages = settings, runner, pages
        self.setWindowTitle(f"ClusterBook {__version__}")
        self.setAcceptDrops(True)
        self.nav = QListWidget()
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for number, page in enumerate(pages, start=1):
            item = QListWidgetItem(page.title)
            item.setToolTip(f"{page.note}\n(Ctrl+{number})" if number < 10 else page.note)
            item.setSizeHint(QSize(180, 34))
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.statusBar().showMessage("Ready. Drop files on the window, or choose them on a page.")
        runner.started.connect(lambda title: self.statusBar().showMessage(title + "…"))
        runner.idle.connect(lambda: self.statusBar().showMessage("Ready."))
        self._shortcuts()
        keys = [page.key for page in pages]
        self.show_page(settings.page if settings.page in keys else keys[0])
        width, height = settings.window if len(settings.window) == 2 else DEFAULT_SIZE
        self.resize(width, height)

    def _shortcuts(self) -> None:
        for number in range(1, min(len(self.pages), 9) + 1):
            QShortcut(QKeySequence(f"Ctrl+{number}"), self,
                      lambda number=number: self.nav.setCurrentRow(number - 1))
        QShortcut(QKeySequence.StandardKey.Open, self, lambda: self.current.open_shortcut())
        for key in ("Ctrl+R", "F5"):
            QShortcut(QKeySequence(key), self, lambda: self.current.run_shortcut())
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.runner.cancel)
        QShortcut(QKeySequence.StandardKey.Quit, self, self.close)

    @property
    def current(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def show_page(self, key: str) -> Page:
        for index, page in enumerate(self.pages):
            if page.key == key:
                self.nav.setCurrentRow(index)
                return page
        raise KeyError(key)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self.current.drop(paths):
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.busy:
            self.runner.cancel()
            self.runner.wait(10000)
        self.settings.window = [self.width(), self.height()]
        self.settings.page = self.current.key
        self.settings.save()
        super().closeEvent(event)
