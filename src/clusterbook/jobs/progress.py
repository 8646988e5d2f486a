"""Progress and cancelling, one way for every job, without Qt.

Every job is a function ``job(request, progress=None) -> result``. ``progress(done, total,
message)`` hears how far it is, and stops the job by raising :class:`Cancelled` (a
:class:`Job`'s progress does so once its :class:`CancelToken` is set). The launcher wraps a job
call in a :class:`Job` and runs it in a worker thread; the command line passes its progress
bar; tests call jobs directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clusterbook.domain.errors import ClusterBookError

#: Hears ``(done, total, what is happening)``; may raise :class:`Cancelled` to stop the job.
Progress = Callable[[int, int, str], None]


def unheard(done: int, total: int, message: str = "") -> None:
    """The progress of a job no one watches."""


class Cancelled(ClusterBookError):
    """The user stopped the job; nothing half-done was kept."""


@dataclass
class CancelToken:
    """Shared between the window (which sets it) and the job (which checks it)."""

    _event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Job:
    """A named piece of work: ``work(progress)`` returns the result the page shows."""

    title: str
    work: Callable[[Progress], Any]

    def run(self, report: Progress | None = None, token: CancelToken | None = None) -> Any:
        """Run the job here; ``report`` hears progress; ``token`` may stop it."""
        token = token or CancelToken()

        def progress(done: int, total: int, message: str = "") -> None:
            if token.cancelled:
                raise Cancelled(self.title)
            if report is not None:
                report(done, total, message)

        return self.work(progress)
