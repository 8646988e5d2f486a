"""The progress bar: drawn on a terminal for long jobs only, never into a file or a pipe."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from clusterbook.commands.terminal import ProgressBar, plural, progress_bar

SRC = str(Path(__file__).resolve().parent.parent / "src")
LONG_STEP = ("import time\nfrom clusterbook.commands.terminal import working\n"
             "with working('Filling the book'):\n    time.sleep(2.5)\nprint('done')\n")


def test_the_bar_draws_counts_and_clears_its_line():
    stream = io.StringIO()
    bar = ProgressBar(stream, show_after=0)
    bar(3, 12, "Reading Kotal_KTL-003.xlsx")
    assert "[#####---------------] 3/12" in stream.getvalue()
    assert "Reading Kotal_KTL-003.xlsx" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    ProgressBar(quiet)(1, 2, "quick")  # a job that ends within a couple of seconds
    assert quiet.getvalue() == ""


def test_no_bar_when_the_output_is_not_a_terminal():
    with progress_bar() as bar:  # pytest captures the output: not a terminal
        assert bar is None
    piped = subprocess.run([sys.executable, "-c", LONG_STEP], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": SRC}, timeout=60)
    assert piped.stdout == "done\n" and piped.stderr == ""


def test_a_bar_on_a_terminal_for_a_long_step():
    pid, fd = pty.fork()
    if pid == 0:  # the child runs with a terminal as stdout and stderr
        os.environ["PYTHONPATH"] = SRC
        os.execv(sys.executable, [sys.executable, "-c", LONG_STEP])
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.waitpid(pid, 0)
    text = output.decode()
    assert "[working]    2 s  Filling the book" in text
    assert text.rstrip().endswith("done")


def test_plural():
    assert plural(1, "file") == "1 file"
    assert plural(1212, "file") == "1,212 files"
    assert plural(2, "checked copy", "checked copies") == "2 checked copies"
