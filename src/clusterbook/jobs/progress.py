"""Long jobs, without Qt: a callable that reports progress and can be cancelled.

A job is ``run(progress)``, where ``progress(done, total, message)`` reports how far it is and
raises :class:`Cancelled` once the user has asked to stop. The widgets run jobs in a worker
thread; tests run them directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
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
