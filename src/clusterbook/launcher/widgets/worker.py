"""Running a job in a worker thread, so the window never freezes."""

from __future__ import annotations

import traceback
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from clusterbook.domain.errors import ClusterBookError, InputError
from clusterbook.jobs.progress import Cancelled, CancelToken, Job


def explain(error: BaseException) -> tuple[str, str]:
    """What to tell the user about an error: a sentence, and the details behind it."""
    if isinstance(error, InputError) and len(error.problems) > 1:
        first = str(error).splitlines()[0]
        return (f"{first}\n\n{len(error.problems)} problems in all: see the details.",
                str(error))
    if isinstance(error, ClusterBookError):
        return str(error), ""
    return ("Something went wrong inside ClusterBook. Your files were not changed. "
            "Please send the details below to your ClusterBook contact.",
            "".join(traceback.format_exception(error)))


class _Thread(QThread):
    """Runs a job and keeps its outcome; the runner announces it once the thread has ended,
    so whoever hears it sees the runner idle and may start the next job at once."""

    progressed = Signal(int, int, str)

    def __init__(self, job: Job, token: CancelToken):
        super().__init__()
        self.job, self.token = job, token
        self.result: Any = None
        self.cancelled = False
        self.failure: tuple[str, str] | None = None

    def run(self) -> None:
        try:
            self.result = self.job.run(self.progressed.emit, self.token)
        except Cancelled:
            self.cancelled = True
        except Exception as error:  # every failure reaches the user as a dialog
            self.failure = explain(error)


class JobRunner(QObject):
    """Runs one job at a time off the GUI thread and reports back through signals."""

    started = Signal(str)
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    idle = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._thread: _Thread | None = None
        self._token = CancelToken()

    @property
    def busy(self) -> bool:
        """True from ``start`` until the job's outcome has been announced."""
        return self._thread is not None

    def start(self, job: Job) -> None:
        """Start ``job``; ignored while another job runs."""
        if self.busy:
            return
        self._token = CancelToken()
        thread = _Thread(job, self._token)
        thread.progressed.connect(self.progressed)
        thread.finished.connect(self._finished)
        self._thread = thread
        self.started.emit(job.title)
        thread.start()

    def cancel(self) -> None:
        """Ask the running job to stop at its next progress report."""
        self._token.cancel()

    def wait(self, milliseconds: int = 30000) -> bool:
        """Block until the running job ends (for closing the window and for tests)."""
        return self._thread.wait(milliseconds) if self._thread is not None else True

    def _finished(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.deleteLater()
        if thread.cancelled:
            self.cancelled.emit()
        elif thread.failure is not None:
            self.failed.emit(*thread.failure)
        else:
            self.succeeded.emit(thread.result)
        if not self.busy:  # a listener may have started the next job already
            self.idle.emit()

    def run_now(self, job: Job) -> Any:
        """Run a job on this thread (start-up work such as --demo before a screenshot)."""
        return job.run(None, self._token)
