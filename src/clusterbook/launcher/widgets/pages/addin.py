"""The Excel add-in page."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton

from clusterbook.launcher.controllers.addin import PAGE, AddinController
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.worker import JobRunner


class AddinPage(Page):
    key = PAGE
    title = "Excel add-in"
    note = ("Worksheet functions such as =CLUSTER_STATUS() and the ClusterBook tab on the "
            "ribbon come with the ClusterBook add-in, in Excel on Windows, in every workbook. "
            "The templates' own formulas work everywhere, with or without it.")

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
        self.setup_button.setToolTip("Add the ClusterBook add-in to your Excel add-ins (no "
                                     "administrator rights needed; your own xlwings is left "
                                     "alone). Close Excel first.")
        self.setup_button.clicked.connect(self.run_shortcut)
        self.refresh_button = QPushButton("Check again")
        self.refresh_button.clicked.connect(self.refresh)
        self.remove_button = QPushButton("Remove the set-up")
        self.remove_button.setToolTip("Take the ClusterBook add-in out of your Excel add-ins. "
                                      "Close Excel first.")
        self.remove_button.clicked.connect(lambda: self.run(self.controller.remove_job))
        for button in (self.setup_button, self.remove_button, self.refresh_button):
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

    def run_shortcut(self) -> None:
        if self.controller.can_set_up:
            self.run(self.controller.setup_job)

    def job_done(self, result: object) -> None:
        self.refresh()
        self.details.setPlainText(result.text() + "\n\n" + self.details.toPlainText())  # type: ignore[attr-defined]
