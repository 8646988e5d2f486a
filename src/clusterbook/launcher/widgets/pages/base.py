"""What every page shares: the job runner, progress, errors and dropped files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from clusterbook.domain.errors import ClusterBookError
from clusterbook.jobs.progress import Job
from clusterbook.launcher.widgets.common import ProgressPanel, heading, show_error
from clusterbook.launcher.widgets.worker import JobRunner, explain


class Page(QWidget):
    """A page: a heading, its own content, and a progress panel at the bottom."""

    key = ""
    title = ""
    note = ""

    def __init__(self, runner: JobRunner):
        super().__init__()
        self.runner = runner
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(heading(self.title, self.note))
        self.progress = ProgressPanel()
        self.progress.cancel_clicked.connect(runner.cancel)
        self._waiting = False

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.progress)

    def run(self, job_factory: object) -> None:
        """Make a job with ``job_factory()`` and start it; problems become dialogs."""
        if self.runner.busy:
            return
        try:
            job: Job = job_factory()  # type: ignore[operator]
        except ClusterBookError as error:
            show_error(self, *explain(error))
            return
        self._waiting = True
        self.runner.started.connect(self.progress.begin)
        self.runner.progressed.connect(self.progress.report)
        self.runner.succeeded.connect(self._succeeded)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.runner.start(job)

    def _disconnect(self) -> None:
        self._waiting = False
        for signal, slot in ((self.runner.started, self.progress.begin),
                             (self.runner.progressed, self.progress.report),
                             (self.runner.succeeded, self._succeeded),
                             (self.runner.failed, self._failed),
                             (self.runner.cancelled, self._cancelled)):
            signal.disconnect(slot)
        self.progress.end()

    def _succeeded(self, result: object) -> None:
        self._disconnect()
        try:
            self.job_done(result)
        except ClusterBookError as error:
            show_error(self, *explain(error))

    def _failed(self, message: str, details: str) -> None:
        self._disconnect()
        show_error(self, message, details)

    def _cancelled(self) -> None:
        self._disconnect()
        self.job_cancelled()

    def job_done(self, result: object) -> None:
        """Show a finished job's result."""

    def job_cancelled(self) -> None:
        """React to a job the user stopped."""

    def drop(self, paths: list[Path]) -> bool:
        """Take files dropped on the window; True when the page used them."""
        return False

    def open_shortcut(self) -> None:
        """Ctrl+O on this page."""

    def run_shortcut(self) -> None:
        """Ctrl+R / F5 on this page."""
