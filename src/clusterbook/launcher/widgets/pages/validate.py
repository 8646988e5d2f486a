"""The Validate page."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QModelIndex, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
)

from clusterbook.domain.errors import ClusterBookError
from clusterbook.launcher.controllers.validate import PAGE, Place, ValidateController
from clusterbook.launcher.widgets.common import PathChooser, show_error
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.table import DetailedTable, FrameModel, fit_columns
from clusterbook.launcher.widgets.worker import JobRunner, explain


def open_at(place: Place) -> None:
    """Open the file; in Excel on Windows, at the finding's sheet and cell."""
    if sys.platform == "win32" and place.sheet and place.cell:
        try:
            import xlwings as xw

            book = xw.Book(str(place.path))
            book.sheets[place.sheet].activate()
            book.sheets[place.sheet].range(place.cell).select()
            return
        except Exception:  # Excel missing or busy: fall back to the default program
            pass
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(place.path)))


class ValidatePage(Page):
    key = PAGE
    title = "Check submissions"
    note = ("Add filled microplans and action plans — files or whole folders, or drop them "
            "here — and press Check. Every problem is listed with its file, sheet and cell. "
            "Files are never changed. Double-click a finding to open the file.")

    def __init__(self, runner: JobRunner, controller: ValidateController):
        super().__init__(runner)
        self.controller = controller
        self.inputs = QListWidget()
        self.inputs.setMaximumHeight(90)
        add_files, add_folder, clear = (QPushButton("Add files…"), QPushButton("Add folder…"),
                                        QPushButton("Clear"))
        add_files.clicked.connect(self.open_shortcut)
        add_folder.clicked.connect(self.add_folder)
        clear.clicked.connect(self.clear)
        self.check_button = QPushButton("Check")
        self.check_button.setDefault(True)
        self.check_button.setToolTip("Check every file (Ctrl+R)")
        self.check_button.clicked.connect(self.run_shortcut)
        buttons = QHBoxLayout()
        for button in (add_files, add_folder, clear):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.check_button)
        self.layout_.addWidget(self.inputs)
        self.layout_.addLayout(buttons)

        options = QHBoxLayout()
        self.clusters = PathChooser(controller.settings, PAGE + "-clusters",
                                    caption="Choose the cluster list",
                                    file_filter="Cluster list (*.xlsx *.csv);;All files (*)",
                                    placeholder="Cluster list (optional): data book, flags book "
                                                "or a list with cluster code and district")
        self.clusters.chosen.connect(self.choose_clusters)
        self.final = QCheckBox("Treat every file as final (sign-off must be complete)")
        options.addWidget(QLabel("Cluster list"))
        options.addWidget(self.clusters, 1)
        options.addWidget(self.final)
        self.layout_.addLayout(options)

        self.summary = QLabel(controller.summary())
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        filters = QHBoxLayout()
        self.severity = QComboBox()
        self.severity.addItems(["Errors and warnings", "Errors", "Warnings"])
        self.severity.currentIndexChanged.connect(self.refresh)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by file, sheet, cell or words")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.save_button = QPushButton("Save findings…")
        self.save_button.clicked.connect(self.save)
        self.copies_button = QPushButton("Write checked copies")
        self.copies_button.setToolTip("NAME.checked.xlsx beside each file with findings: a "
                                      "Checks sheet and the cells marked")
        self.copies_button.clicked.connect(
            lambda: self.run(self.controller.write_back_job))
        filters.addWidget(self.severity)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.save_button)
        filters.addWidget(self.copies_button)
        self.layout_.addLayout(filters)

        self.model, self.table = FrameModel(), QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self.open_finding)
        self.layout_.addWidget(DetailedTable(self.table, hint="Choose a finding to read it in "
                                                              "full; double-click to open the "
                                                              "file at its cell."), 1)
        self.finish_layout()
        self._set_enabled()

    def add(self, paths: list[Path]) -> None:
        try:
            self.controller.add(paths)
        except ClusterBookError as error:
            show_error(self, *explain(error))
        self.inputs.clear()
        self.inputs.addItems([str(path) for path in self.controller.inputs])
        self._set_enabled()

    def open_shortcut(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add filled microplans or action plans", self.controller.settings.folder(PAGE),
            "Workbooks (*.xlsx *.xlsm);;All files (*)")
        if files:
            self.add([Path(file) for file in files])

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of submissions",
                                                  self.controller.settings.folder(PAGE))
        if folder:
            self.add([Path(folder)])

    def clear(self) -> None:
        self.controller.clear()
        self.inputs.clear()
        self.model.set_frame(__import__("pandas").DataFrame())
        self.summary.setText(self.controller.summary())
        self._set_enabled()

    def choose_clusters(self, path: Path) -> None:
        try:
            self.controller.choose_clusters(path)
        except ClusterBookError as error:
            show_error(self, *explain(error))

    def drop(self, paths: list[Path]) -> bool:
        self.add(paths)
        return True

    def run_shortcut(self) -> None:
        self.controller.final = self.final.isChecked()
        self.run(self.controller.job)
        self._set_enabled()

    def job_done(self, result: object) -> None:
        from clusterbook.jobs.validate import ValidationResult

        if isinstance(result, ValidationResult):
            self.controller.accept(result)
            self.summary.setText(self.controller.summary())
            self.refresh()
        elif isinstance(result, list):
            self.summary.setText("\n".join(str(line) for line in result) or
                                 "No file had findings: no copies were needed.")
        self._set_enabled()

    def refresh(self) -> None:
        if self.controller.result is None:
            return
        severity = {0: "", 1: "error", 2: "warning"}[self.severity.currentIndex()]
        self.model.set_frame(self.controller.table(severity, self.search.text()))
        fit_columns(self.table)

    def open_finding(self, index: QModelIndex) -> None:
        open_at(self.controller.place(index.row()))

    def save(self) -> None:
        start = str(Path(self.controller.settings.folder(PAGE)) / "findings.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Save the findings", start,
                                              "Excel book (*.xlsx)")
        if path:
            self.run(lambda: self.controller.findings_job(path))

    def load_demo(self, folder: Path) -> None:
        """Check the demo's submissions straight away (for --demo)."""
        submissions = folder / "submissions"
        if not submissions.is_dir():
            from clusterbook.jobs.demo import write_sample_microplans

            write_sample_microplans(submissions)
        self.add([submissions])
        self.job_done(self.runner.run_now(self.controller.job()))

    def _set_enabled(self) -> None:
        busy = self.runner.busy
        self.check_button.setEnabled(bool(self.controller.inputs) and not busy)
        has_result = self.controller.result is not None and not busy
        self.save_button.setEnabled(has_result)
        self.copies_button.setEnabled(has_result)
