"""The Excel add-in page."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton

from clusterbook.launcher.controllers.addin import PAGE, AddinController
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.worker import JobRunner


class AddinPage(Page):
    key = PAGE
    title = "Excel add-in"
    note = ("Worksheet functions such as =CLUSTER_STATUS() need the xlwings add-in, in Excel "
            "on Windows. The templates' own formulas work everywhere, with or without it.")

    def __init__(self, runner: JobRunner, controller: AddinController):
        super().__init__(runner)
        self.controller = controller
        self.state = QLabel()
        self.state.setWordWrap(True)
        font = QFont(self.state.font())
        font.setBold(True)
        self.state.setFont(font)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        buttons = QHBoxLayout()
        self.setup_button = QPushButton("Set up Excel for this user")
        self.setup_button.setToolTip("Install the add-in and write the xlwings settings "
                                     "(no administrator rights needed)")
        self.setup_button.clicked.connect(self.run_shortcut)
        self.refresh_button = QPushButton("Check again")
        self.refresh_button.clicked.connect(self.refresh)
        self.remove_button = QPushButton("Remove the set-up")
        self.remove_button.setToolTip("Take ClusterBook's entries out of the xlwings settings "
                                      "and remove the add-in it installed")
        self.remove_button.clicked.connect(lambda: self.run(self.controller.remove_job))
        self.macros_button = QPushButton("Open the buttons' folder")
        self.macros_button.setToolTip("The VBA modules to import into a workbook")
        self.macros_button.clicked.connect(self.open_macros)
        for button in (self.setup_button, self.remove_button, self.refresh_button,
                       self.macros_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.layout_.addWidget(self.state)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.details, 1)
        self.finish_layout()
        self.refresh()

    def refresh(self) -> None:
        status = self.controller.status()
        if not status.worksheet_functions:
            self.state.setText("Worksheet functions are not available on this computer; "
                               "everything else is.")
        elif status.ready:
            self.state.setText("Excel is ready: type =CLUSTER_STATUS( in a cell.")
        else:
            self.state.setText("Excel is not set up yet: press 'Set up Excel for this user'.")
        self.details.setPlainText(status.text())
        self.setup_button.setEnabled(status.worksheet_functions and not self.runner.busy)
        self.remove_button.setEnabled(status.worksheet_functions and not self.runner.busy)
        self.macros_button.setEnabled(bool(status.macros_folder))
        self._macros = status.macros_folder

    def run_shortcut(self) -> None:
        if self.controller.can_set_up:
            self.run(self.controller.setup_job)

    def job_done(self, result: object) -> None:
        self.refresh()
        self.details.setPlainText(result.text() + "\n\n" + self.details.toPlainText())  # type: ignore[attr-defined]

    def open_macros(self) -> None:
        if self._macros:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self._macros))
