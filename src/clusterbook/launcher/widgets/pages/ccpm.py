"""The CCPM page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
)

from clusterbook.domain.errors import ClusterBookError
from clusterbook.launcher.controllers.ccpm import PAGE, CcpmController, Scored
from clusterbook.launcher.widgets.common import show_error
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.table import DetailedTable, FrameModel, fit_columns
from clusterbook.launcher.widgets.worker import JobRunner, explain


class CcpmPage(Page):
    key = PAGE
    title = "CCPM self-assessment"
    note = ("Add the survey export (CSV or Excel, long or wide) or a filled CCPM workbook, "
            "then Score. 'Make report' writes the workshop-ready preliminary report: scores "
            "and bands, each question, good practice and constraints, workshop groups, "
            "Annex I and the follow-up sheet.")

    def __init__(self, runner: JobRunner, controller: CcpmController):
        super().__init__(runner)
        self.controller = controller
        self.inputs = QListWidget()
        self.inputs.setMaximumHeight(70)
        add, clear = QPushButton("Add responses…"), QPushButton("Clear")
        add.clicked.connect(self.open_shortcut)
        clear.clicked.connect(self.clear)
        self.score_button = QPushButton("Score")
        self.score_button.setToolTip("Score every function and sub-function (Ctrl+R)")
        self.score_button.clicked.connect(self.run_shortcut)
        self.scores_button = QPushButton("Save scores…")
        self.scores_button.setToolTip("The scores table as CSV: function, score, status, "
                                      "respondents")
        self.scores_button.clicked.connect(self.save_scores)
        self.report_button = QPushButton("Make report…")
        self.report_button.setDefault(True)
        self.report_button.clicked.connect(self.make_report)
        buttons = QHBoxLayout()
        for button in (add, clear):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.score_button)
        buttons.addWidget(self.scores_button)
        buttons.addWidget(self.report_button)
        self.layout_.addWidget(self.inputs)
        self.layout_.addLayout(buttons)

        self.headline = QLabel(controller.headline())
        self.headline.setWordWrap(True)
        self.layout_.addWidget(self.headline)
        self.model, self.table = FrameModel(), QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.layout_.addWidget(DetailedTable(self.table, hint="Choose a function to read its "
                                                              "row in full."), 3)
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setPlaceholderText("Problems in the data and what each job wrote appear "
                                         "here.")
        self.messages.setMaximumHeight(110)
        self.layout_.addWidget(self.messages)

        after = QGroupBox("After the workshop")
        row = QHBoxLayout(after)
        check, overview = QPushButton("Check a filled Annex I…"), QPushButton(
            "Overview of several clusters…")
        check.setToolTip("Weak or Unsatisfactory functions without an action, more than 5 "
                         "actions, amended statuses without a reason; progress by quarter")
        overview.setToolTip("Merge several clusters' report books into one function-by-cluster "
                            "matrix with the weaknesses they share")
        check.clicked.connect(self.check_annex)
        overview.clicked.connect(self.overview)
        row.addWidget(check)
        row.addWidget(overview)
        row.addStretch(1)
        self.layout_.addWidget(after)
        self.finish_layout()
        self._set_enabled()

    def add(self, paths: list[Path]) -> None:
        try:
            self.controller.add_responses(paths)
        except ClusterBookError as error:
            show_error(self, *explain(error))
        self.inputs.clear()
        self.inputs.addItems([str(path) for path in self.controller.responses])
        self._set_enabled()

    def open_shortcut(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add survey responses", self.controller.settings.folder(PAGE),
            "Survey exports and CCPM workbooks (*.csv *.xlsx *.xlsm);;All files (*)")
        if files:
            self.add([Path(file) for file in files])

    def clear(self) -> None:
        self.controller.clear()
        self.inputs.clear()
        self.headline.setText(self.controller.headline())
        self._set_enabled()

    def drop(self, paths: list[Path]) -> bool:
        self.add(paths)
        return True

    def run_shortcut(self) -> None:
        self.run(self.controller.score_job)

    def make_report(self) -> None:
        start = str(Path(self.controller.settings.folder(PAGE + "-out")) / "ccpm-report.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Save the preliminary report", start,
                                              "Excel book (*.xlsx)")
        if path:
            self.run(lambda: self.controller.report_job(path))

    def save_scores(self) -> None:
        start = str(Path(self.controller.settings.folder(PAGE + "-out")) / "scores.csv")
        path, _ = QFileDialog.getSaveFileName(self, "Save the scores", start, "CSV (*.csv)")
        if path:
            self.run(lambda: self.controller.scores_job(path))

    def check_annex(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a filled report book",
                                              self.controller.settings.folder(PAGE + "-out"),
                                              "Excel book (*.xlsx)")
        if path:
            self.run(lambda: self.controller.check_job(Path(path)))

    def overview(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Choose the clusters' report books",
            self.controller.settings.folder(PAGE + "-out"), "Excel books (*.xlsx)")
        if not files:
            return
        out, _ = QFileDialog.getSaveFileName(
            self, "Save the overview", str(Path(files[0]).with_name("ccpm-overview.xlsx")),
            "Excel book (*.xlsx)")
        if out:
            self.run(lambda: self.controller.overview_job([Path(f) for f in files], out))

    def job_done(self, result: object) -> None:
        if isinstance(result, Scored):
            self.controller.accept(result)
            self.headline.setText(self.controller.headline())
            self.model.set_frame(self.controller.scores())
            fit_columns(self.table)
            from clusterbook.jobs.ccpm import findings_text

            self.messages.setPlainText(findings_text(result.findings) if result.findings
                                       else "No problems in the data.")
        else:
            self.messages.setPlainText(result.report())  # type: ignore[attr-defined]
        self._set_enabled()

    def load_demo(self, folder: Path) -> None:
        """Score a sample survey straight away (for --demo)."""
        from clusterbook.jobs.demo import write_sample_survey

        responses = folder / "ccpm-responses.csv"
        if not responses.exists():
            write_sample_survey(responses)
        self.add([responses])
        self.job_done(self.runner.run_now(self.controller.score_job()))

    def _set_enabled(self) -> None:
        ready = bool(self.controller.responses) and not self.runner.busy
        self.score_button.setEnabled(ready)
        self.scores_button.setEnabled(ready)
        self.report_button.setEnabled(ready)



