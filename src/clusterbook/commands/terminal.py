"""What the commands print around the data: a progress bar for long jobs and counted words.

The bar is drawn on stderr only when both stdout and stderr are a terminal (never into a file
or a pipe), and only once a job has run for :data:`SHOW_AFTER` seconds, so quick jobs print
nothing but their result.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from typing import Final, TextIO

#: Seconds a job runs before its bar appears.
SHOW_AFTER: Final = 1.5
#: Seconds between two drawings of the bar.
REDRAW_EVERY: Final = 0.1


def plural(count: int, word: str, words: str = "") -> str:
    """'1 file', '2 files', '1,212 files'."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def is_terminal() -> bool:
    """True when the user watches the output (stdout and stderr both a terminal)."""
    return sys.stdout.isatty() and sys.stderr.isatty()


class ProgressBar:
    """Hears ``(done, total, message)`` and draws '[#####-----] 120/245  Reading X' on one
    line of stderr; :meth:`close` clears the line."""

    def __init__(self, stream: TextIO | None = None, *, show_after: float = SHOW_AFTER):
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.show_after = show_after
        self.drawn_at = 0.0
        self.shown = False
        self.line = ""
        self.state: tuple[int, int, str] = (0, 0, "")
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.state = (done, total, message)
        self._draw()

    def start_ticking(self) -> ProgressBar:
        """Redraw every half second, so the seconds move on during a long step."""
        def tick() -> None:
            while not self._stop.wait(0.5):
                self._draw()

        self._ticker = threading.Thread(target=tick, daemon=True)
        self._ticker.start()
        return self

    def _draw(self) -> None:
        with self._lock:
            now = time.monotonic()
            if now - self.started < self.show_after or now - self.drawn_at < REDRAW_EVERY \
                    or self._stop.is_set():
                return
            self.drawn_at = now
            self._write(now)

    def _write(self, now: float) -> None:
        done, total, message = self.state
        width = shutil.get_terminal_size((80, 24)).columns - 1
        seconds = f"{now - self.started:4.0f} s"
        if total > 0:
            filled = round(20 * min(done, total) / total)
            head = f"[{'#' * filled}{'-' * (20 - filled)}] {done:,}/{total:,}"
        else:
            head = "[working]"
        line = f"{head} {seconds}  {message}"[:width].ljust(width)
        if line == self.line:
            return
        self.line = line
        self.stream.write("\r" + line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the bar's line, so the result starts at the left margin."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.shown:
            width = shutil.get_terminal_size((80, 24)).columns - 1
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.shown = False


@contextlib.contextmanager
def progress_bar(quiet: bool = False) -> Iterator[ProgressBar | None]:
    """A ticking bar while the block runs when the user watches a terminal and did not ask
    for quiet, else None; the bar's line is cleared at the end."""
    if quiet or not is_terminal():
        yield None
        return
    bar = ProgressBar().start_ticking()
    try:
        yield bar
    finally:
        bar.close()


@contextlib.contextmanager
def working(title: str) -> Iterator[None]:
    """A bar that counts the seconds of one long step, for a job that reports nothing else
    (shown only on a terminal, and only if the step lasts)."""
    with progress_bar() as bar:
        if bar is not None:
            bar(0, 0, title)
        yield
