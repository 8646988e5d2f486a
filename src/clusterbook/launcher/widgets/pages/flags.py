"""The Flags page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QWidget,
)

from clusterbook.domain.rule_parameters import (
    BENCHMARK_CHOICES,
    DEFAULT_PARAMETERS,
    FEWEST_ROUNDS,
    PERCENTS,
    BenchmarkMethod,
)
from clusterbook.launcher.controllers.flags import PAGE, STATUSES, FlagsController
from clusterbook.launcher.widgets.chart import BarChart
from clusterbook.launcher.widgets.common import PathChooser
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.table import DetailedTable, FrameModel, fit_columns
from clusterbook.launcher.widgets.worker import JobRunner

if TYPE_CHECKING:
    from clusterbook.jobs.flags import FlagsResult

#: The most rounds in a row the page offers to ask for.
MOST_ROUNDS = 12
_METHOD_WORDS = {BenchmarkMethod.MEAN: "Regional mean",
                 BenchmarkMethod.WEIGHTED: "Mean weighted by children surveyed"}


def benchmark_words(choice: BenchmarkMethod | float) -> str:
    """A benchmark choice as the page offers it: 'Regional mean', 'Fixed: 95%'."""
    if isinstance(choice, BenchmarkMethod):
        return _METHOD_WORDS[choice]
    return f"Fixed: {choice:g}%"


def _rule_note() -> str:
    rules = DEFAULT_PARAMETERS
    return (f"Choose round data (one row per cluster per round, CSV or Excel) and press Run. "
            f"A cluster enters the list after {rules.rounds} rounds below the regional "
            f"benchmark or above {rules.refusal_threshold:g}% refusal, and leaves after "
            f"{rules.rounds} rounds above {rules.exit_benchmark:g}%.")


class FlagsPage(Page):
    key = PAGE
    title = "Low-performing clusters"
    note = _rule_note()

    def __init__(self, runner: JobRunner, controller: FlagsController):
        super().__init__(runner)
        self.controller = controller
        self.chooser = PathChooser(controller.settings, PAGE, caption="Choose round data",
                                   file_filter="Round data (*.csv *.xlsx *.xlsm);;All files (*)",
                                   placeholder="Round data: .csv or .xlsx")
        self.chooser.chosen.connect(self.choose)
        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.run_button.setToolTip("Flag the clusters (Ctrl+R)")
        self.run_button.clicked.connect(self.run_shortcut)
        top = QHBoxLayout()
        top.addWidget(self.chooser, 1)
        top.addWidget(self.run_button)
        self.layout_.addLayout(top)
        self.layout_.addWidget(self._rules())

        self.headline = QLabel(controller.headline())
        self.headline.setWordWrap(True)
        self.layout_.addWidget(self.headline)

        filters = QHBoxLayout()
        self.round_box = QComboBox()
        self.round_box.currentIndexChanged.connect(self._round_changed)
        self.status_box = QComboBox()
        self.status_box.addItems(["All statuses", *STATUSES])
        self.status_box.currentIndexChanged.connect(self.refresh_table)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by cluster, district or province")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh_table)
        self.save_button = QPushButton("Save as…")
        self.save_button.setToolTip("Save the flags as an Excel book or a CSV table")
        self.save_button.clicked.connect(self.save)
        self.databook_button = QPushButton("Fill a data book…")
        self.databook_button.setToolTip("Write the campaign data book from this round data: the "
                                        "flags are computed by Excel's own formulas, live")
        self.databook_button.clicked.connect(self.databook)
        for label, widget in (("Round", self.round_box), ("Status", self.status_box)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.save_button)
        filters.addWidget(self.databook_button)
        self.layout_.addLayout(filters)

        self.table_model, self.table = FrameModel(), QTableView()
        self.summary_model, self.summary = FrameModel(), QTableView()
        for view, model in ((self.table, self.table_model), (self.summary, self.summary_model)):
            view.setModel(model)
            # No sort indicator at first: rows come in the controller's order (priority).
            view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            view.setSortingEnabled(True)
            view.verticalHeader().setDefaultSectionSize(24)
            view.setAlternatingRowColors(True)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        tabs = QTabWidget()
        tabs.addTab(DetailedTable(self.table, hint="Choose a cluster to read its reasons and "
                                                   "figures in full."), "Clusters")
        tabs.addTab(DetailedTable(self.summary, hint="Choose a district to read its row in "
                                                     "full."), "By district")
        self.chart = BarChart("Low-performing clusters per district")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(tabs)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([4000, 1000])
        self.layout_.addWidget(splitter, 1)
        self.finish_layout()
        self._set_enabled()

    def _rules(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.rounds = QSpinBox()
        self.rounds.setRange(FEWEST_ROUNDS, MOST_ROUNDS)
        self.rounds.setValue(self.controller.rounds)
        self.refusal = QDoubleSpinBox()
        self.refusal.setRange(PERCENTS.low, PERCENTS.high)
        self.refusal.setSuffix(" %")
        self.refusal.setValue(self.controller.refusal_threshold)
        self.exit = QDoubleSpinBox()
        self.exit.setRange(PERCENTS.low, PERCENTS.high)
        self.exit.setSuffix(" %")
        self.exit.setValue(self.controller.exit_benchmark)
        self.benchmark = QComboBox()
        self.benchmark.addItems([benchmark_words(choice) for choice in BENCHMARK_CHOICES])
        for label, widget in (("Rounds to enter or leave", self.rounds),
                              ("Refusal high above", self.refusal),
                              ("Coverage good above", self.exit),
                              ("Benchmark", self.benchmark)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addStretch(1)
        form.addRow(row)
        return box

    def choose(self, path: Path) -> None:
        from clusterbook.domain.errors import ClusterBookError
        from clusterbook.launcher.widgets.common import show_error
        from clusterbook.launcher.widgets.worker import explain

        try:
            self.controller.choose_input(path)
        except ClusterBookError as error:
            show_error(self, *explain(error))
            return
        self.chooser.edit.setText(str(path))
        self.headline.setText(f"Ready to flag {path.name}. Press Run (Ctrl+R).")
        self._set_enabled()

    def _read_rules(self) -> None:
        controller = self.controller
        controller.rounds = self.rounds.value()
        controller.refusal_threshold = self.refusal.value()
        controller.exit_benchmark = self.exit.value()
        controller.benchmark = BENCHMARK_CHOICES[self.benchmark.currentIndex()]

    def run_shortcut(self) -> None:
        self._read_rules()
        self.run(self.controller.job)
        self._set_enabled()

    def open_shortcut(self) -> None:
        self.chooser.ask()

    def drop(self, paths: list[Path]) -> bool:
        self.choose(paths[0])
        return True

    def load_demo(self, folder: Path) -> None:
        """Show the sample region's flags straight away (for --demo)."""
        self.choose(folder / "round_data.csv")
        self._read_rules()
        self.show_result(self.runner.run_now(self.controller.job()))

    def job_done(self, result: object) -> None:
        if isinstance(result, Path):
            self.headline.setText(f"Wrote {result}")
            self._set_enabled()
            return
        self.show_result(result)  # type: ignore[arg-type]

    def show_result(self, result: FlagsResult) -> None:
        self.controller.accept(result)
        self.round_box.blockSignals(True)
        self.round_box.clear()
        self.round_box.addItems([str(label) for label in self.controller.round_labels()])
        self.round_box.setCurrentIndex(self.round_box.count() - 1)
        self.round_box.blockSignals(False)
        self._round_changed()
        self._set_enabled()

    def _round_changed(self) -> None:
        labels = self.controller.round_labels()
        index = self.round_box.currentIndex()
        if not labels or index < 0:
            return
        self.controller.shown_round = labels[index]
        self.headline.setText(self.controller.headline())
        self.summary_model.set_frame(self.controller.summary())
        self.chart.set_bars([(district, float(count)) for district, count in
                             self.controller.listed_per_district()],
                            f"Low-performing clusters per district in {labels[index]}")
        self.refresh_table()

    def refresh_table(self) -> None:
        if self.controller.result is None:
            return
        status = self.status_box.currentText()
        self.table_model.set_frame(self.controller.table(
            "" if status == "All statuses" else status, self.search.text()))
        fit_columns(self.table)
        fit_columns(self.summary)

    def save(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = str(Path(self.controller.settings.folder(PAGE + "-out")) / "flags.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Save the flags", start,
                                              "Excel book (*.xlsx);;CSV table (*.csv)")
        if path:
            self.run(lambda: self.controller.save_job(path))

    def databook(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        self._read_rules()
        start = str(Path(self.controller.settings.folder(PAGE + "-out")) / "data-book.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Save the campaign data book", start,
                                              "Excel book (*.xlsx)")
        if path:
            self.run(lambda: self.controller.databook_job(path))

    def _set_enabled(self) -> None:
        busy = self.runner.busy
        self.databook_button.setEnabled(self.controller.input_path is not None and not busy)
        self.run_button.setEnabled(self.controller.input_path is not None and not busy)
        self.save_button.setEnabled(self.controller.result is not None and not busy)
