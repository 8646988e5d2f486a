"""The Merge page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
)

from clusterbook.domain.errors import ClusterBookError
from clusterbook.domain.levels import LEVELS
from clusterbook.domain.rule_parameters import Status
from clusterbook.launcher.controllers.merge import PAGE, MergeController
from clusterbook.launcher.widgets.chart import BarChart
from clusterbook.launcher.widgets.common import PathChooser, show_error
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.table import DetailedTable, FrameModel, fit_columns
from clusterbook.launcher.widgets.worker import JobRunner, explain
from clusterbook.styles import STATUS_COLOURS


class MergePage(Page):
    key = PAGE
    title = "Merge submissions"
    note = ("Merge every microplan and action plan in a folder into one review book. Nothing "
            "is lost: newer submissions replace older ones (which are listed), unreadable "
            "files are listed with the reason, and reviewers' feedback is kept.")

    def __init__(self, runner: JobRunner, controller: MergeController):
        super().__init__(runner)
        self.controller = controller
        settings = controller.settings
        self.folder = PathChooser(settings, PAGE, caption="Choose the folder of submissions",
                                  folder=True, placeholder="Folder of submitted workbooks")
        self.folder.chosen.connect(self.choose_folder)
        self.out = PathChooser(settings, PAGE + "-out", caption="Save the review book as",
                               file_filter="Excel book (*.xlsx)", save=True,
                               placeholder="Review book (.xlsx); an existing one is updated")
        self.out.chosen.connect(self.choose_out)
        self.clusters = PathChooser(settings, PAGE + "-clusters", caption="Choose the list",
                                    file_filter="Cluster list (*.xlsx *.csv);;All files (*)",
                                    placeholder="Cluster list (optional): the data book or the "
                                                "flags book, to know who is expected")
        self.clusters.chosen.connect(self.choose_clusters)
        self.level = QComboBox()
        self.level.addItems(["Regional review book", "Provincial review book"])
        grid = QGridLayout()
        for row, (label, widget) in enumerate((("Submissions", self.folder),
                                               ("Review book", self.out),
                                               ("Cluster list", self.clusters),
                                               ("Level", self.level))):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(widget, row, 1)
        self.layout_.addLayout(grid)

        buttons = QHBoxLayout()
        self.merge_button = QPushButton("Merge")
        self.merge_button.setDefault(True)
        self.merge_button.setToolTip("Merge the folder into the review book (Ctrl+R)")
        self.merge_button.clicked.connect(self.run_shortcut)
        self.open_button = QPushButton("Open the review book")
        self.open_button.clicked.connect(self.open_book)
        self.feedback_button = QPushButton("Feedback for the provinces…")
        self.feedback_button.setToolTip("One book per province: its clusters' review status "
                                        "and comments, and the findings in its submissions")
        self.feedback_button.clicked.connect(self.feedback)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.feedback_button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)

        self.summary = QLabel(controller.summary_text())
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.summary)
        self.model, self.table = FrameModel(), QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.chart = BarChart("Submissions received per district",
                              colour=STATUS_COLOURS[Status.ON_TRACK.label].text)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(DetailedTable(self.table, hint="Choose a district to read its row "
                                                          "in full."))
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.layout_.addWidget(splitter, 1)
        self.finish_layout()
        self._set_enabled()

    def _try(self, action: object, path: Path | None) -> bool:
        try:
            action(path)  # type: ignore[operator]
        except ClusterBookError as error:
            show_error(self, *explain(error))
            return False
        return True

    def choose_folder(self, folder: Path) -> None:
        if self._try(self.controller.choose_folder, folder):
            self.folder.edit.setText(str(folder))
            if self.controller.out is not None and not self.out.edit.text():
                self.out.edit.setText(str(self.controller.out))
        self._set_enabled()

    def choose_out(self, out: Path) -> None:
        self._try(self.controller.choose_out, out)
        self._set_enabled()

    def choose_clusters(self, path: Path) -> None:
        self._try(self.controller.choose_clusters, path)

    def drop(self, paths: list[Path]) -> bool:
        folders = [path for path in paths if path.is_dir()]
        if not folders:
            return False
        self.choose_folder(folders[0])
        return True

    def open_shortcut(self) -> None:
        self.folder.ask()

    def run_shortcut(self) -> None:
        self.controller.level = LEVELS[self.level.currentIndex()]
        typed = self.out.edit.text().strip()
        changed = typed and (self.controller.out is None or Path(typed) != self.controller.out)
        if changed and not self._try(self.controller.choose_out, Path(typed)):
            return
        self.run(self.controller.job)
        self._set_enabled()

    def job_done(self, result: object) -> None:
        if isinstance(result, list):
            folder = result[0].parent if result else ""
            self.summary.setText(f"Wrote {len(result)} feedback books in {folder}.")
        else:
            self.controller.accept(result)  # type: ignore[arg-type]
            self.summary.setText(self.controller.summary_text())
            table = self.controller.districts()
            if table is not None:
                self.model.set_frame(table)
                fit_columns(self.table)
            self.chart.set_bars(self.controller.received_per_district())
        self._set_enabled()

    def job_cancelled(self) -> None:
        self.summary.setText("The merge was stopped; the review book and its ledger were not "
                             "changed.")
        self._set_enabled()

    def open_book(self) -> None:
        if self.controller.out is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.controller.out)))

    def feedback(self) -> None:
        start = str(self.controller.out.parent / "feedback") if self.controller.out else ""
        folder = QFileDialog.getExistingDirectory(self, "Folder for the feedback books", start)
        if folder:
            self.run(lambda: self.controller.feedback_job(Path(folder)))

    def load_demo(self, folder: Path) -> None:
        """Merge the sample district's submissions straight away (for --demo)."""
        submissions = folder / "submissions"
        if submissions.is_dir():
            self.choose_folder(submissions)
            self.controller.out = self.controller.fresh_demo_book(folder)
            self.out.edit.setText(str(self.controller.out))
            self.job_done(self.runner.run_now(self.controller.job()))

    def _set_enabled(self) -> None:
        busy = self.runner.busy
        has_book = self.controller.out is not None and self.controller.out.is_file()
        self.merge_button.setEnabled(self.controller.folder is not None and not busy)
        self.open_button.setEnabled(has_book and not busy)
        self.feedback_button.setEnabled(has_book and not busy)
