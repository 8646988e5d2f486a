"""The Templates page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton

from clusterbook.launcher.controllers.templates import PAGE, TemplatesController
from clusterbook.launcher.widgets.common import PathChooser
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.worker import JobRunner


class TemplatesPage(Page):
    key = PAGE
    title = "Blank templates"
    note = ("Save the standard forms where you keep your work. Fill them in Excel (or "
            "LibreOffice): the yellow cells are yours, the rest is protected, and the data "
            "book computes the flags as you type.")

    def __init__(self, runner: JobRunner, controller: TemplatesController):
        super().__init__(runner)
        self.controller = controller
        self.list = QListWidget()
        self.list.setSpacing(5)
        for choice in controller.available():
            description = choice.description[:1].upper() + choice.description[1:]
            item = QListWidgetItem(f"{description}\n{choice.file_name}")
            item.setToolTip(choice.file_name)
            item.setData(Qt.ItemDataRole.UserRole, choice.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.folder = PathChooser(controller.settings, PAGE, caption="Choose a folder",
                                  folder=True, placeholder="Folder to save the templates in")
        self.folder.edit.setText(str(Path(controller.settings.folder(PAGE))
                                     / "ClusterBook templates"))
        self.save_button = QPushButton("Save templates")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.run_shortcut)
        self.open_button = QPushButton("Open the folder")
        self.open_button.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        row.addWidget(QLabel("Save in"))
        row.addWidget(self.folder, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.open_button)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        # The list is as tall as its four entries, so the folder row sits right under them.
        rows = sum(self.list.sizeHintForRow(row) + 2 * self.list.spacing()
                   for row in range(self.list.count()))
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 4)
        self.layout_.addWidget(self.list)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.result)
        self.layout_.addStretch(1)
        self.finish_layout()

    def ticked(self) -> list[str]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(self.list.count())
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def run_shortcut(self) -> None:
        folder = Path(self.folder.edit.text().strip() or ".")
        self.run(lambda: self.controller.save_job(folder, self.ticked()))

    def open_shortcut(self) -> None:
        self.folder.ask()

    def job_done(self, result: object) -> None:
        paths = list(result)  # type: ignore[call-overload]
        self.result.setText("Saved: " + ", ".join(path.name for path in paths)
                            + f" in {paths[0].parent}" if paths else "Nothing was saved.")

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.edit.text().strip()))
