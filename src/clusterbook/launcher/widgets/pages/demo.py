"""The Sample region page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton

from clusterbook.launcher.controllers.demo import PAGE, DemoController
from clusterbook.launcher.widgets.common import PathChooser
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.worker import JobRunner


class DemoPage(Page):
    key = PAGE
    title = "Try the sample region"
    note = ("Every job run on a built-in region: 4 provinces, 24 districts, 928 clusters, 12 "
            "rounds, with district submissions and a CCPM survey. All of it is invented, for "
            "learning and training.")

    def __init__(self, runner: JobRunner, controller: DemoController, load_everywhere: object):
        super().__init__(runner)
        self.controller = controller
        self._load_everywhere = load_everywhere
        notice = QLabel(controller.notice())
        notice.setWordWrap(True)
        self.folder = PathChooser(controller.settings, PAGE, caption="Choose a folder",
                                  folder=True, placeholder="Folder for the demo files")
        self.folder.edit.setText(str(Path(controller.settings.folder(PAGE))
                                     / "clusterbook-demo"))
        self.write_button = QPushButton("Write the demo files")
        self.write_button.setDefault(True)
        self.write_button.clicked.connect(self.run_shortcut)
        self.open_button = QPushButton("Open the folder")
        self.open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.edit.text())))
        self.load_button = QPushButton("Show the sample in every page")
        self.load_button.setToolTip("Flags, checks and CCPM scores of the sample, on their "
                                    "pages")
        self.load_button.clicked.connect(self.load_everywhere)
        row = QHBoxLayout()
        row.addWidget(QLabel("Folder"))
        row.addWidget(self.folder, 1)
        row.addWidget(self.write_button)
        row.addWidget(self.open_button)
        self.written = QPlainTextEdit()
        self.written.setReadOnly(True)
        self.written.setPlaceholderText("The files written, and what each one is, appear here.")
        self.layout_.addWidget(notice)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.load_button)
        self.layout_.addWidget(self.written, 1)
        self.finish_layout()

    def run_shortcut(self) -> None:
        folder = Path(self.folder.edit.text().strip() or "clusterbook-demo")
        self.run(lambda: self.controller.job(folder))

    def job_done(self, result: object) -> None:
        folder = Path(self.folder.edit.text().strip())
        lines = []
        for artifact in result:  # type: ignore[attr-defined]
            try:
                name = artifact.path.relative_to(folder)
            except ValueError:
                name = artifact.path
            lines.append(f"{name}\n    {artifact.description}")
        self.written.setPlainText("\n".join(lines))

    def load_everywhere(self) -> None:
        self._load_everywhere()  # type: ignore[operator]
