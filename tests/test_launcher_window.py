"""The launcher's window, driven as a user would: offscreen, with real jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt

import clusterbook
from clusterbook.jobs.progress import Job
from clusterbook.launcher.settings import Settings
from clusterbook.launcher.widgets import common
from clusterbook.launcher.widgets.build import build_window

SRC = str(Path(clusterbook.__file__).parent.parent)


@pytest.fixture
def window(qtbot, tmp_path):
    settings = Settings.load(tmp_path / "launcher.json")
    window = build_window(settings)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.runner.cancel()
    window.runner.wait()


@pytest.fixture
def errors(monkeypatch):
    shown = []
    monkeypatch.setattr(common, "show_error", lambda parent, message, details="":
                        shown.append(message))
    from clusterbook.launcher.widgets.pages import base, flags

    monkeypatch.setattr(base, "show_error", lambda parent, message, details="":
                        shown.append(message))
    monkeypatch.setattr(flags, "show_error", lambda parent, message, details="":
                        shown.append(message), raising=False)
    return shown


def test_run_flags_by_clicking(qtbot, window, sample_round_csv):
    page = window.show_page("flags")
    page.chooser.set_path(sample_round_csv)
    with qtbot.waitSignal(window.runner.idle, timeout=60000):
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.table_model.rowCount() == 928
    assert page.round_box.currentText() == "R12"
    first = page.table_model.index(0, 0)
    assert page.table_model.data(first) == "1"
    page.status_box.setCurrentText("Watch")
    model = page.table_model
    status = [model.headerData(c, Qt.Orientation.Horizontal)
              for c in range(model.columnCount())].index("Status")
    statuses = {model.data(model.index(row, status)) for row in range(model.rowCount())}
    assert statuses == {"Watch"}
    page.round_box.setCurrentText("R3")
    assert "In R3:" in page.headline.text()
    assert len(page.chart.bars) == 24


def test_window_stays_responsive_and_cancel_stops_a_job(qtbot, window):
    page = window.current
    ticks = []

    def slow(progress):
        for step in range(200):
            progress(step, 200, "waiting")
            time.sleep(0.01)
        return "finished"

    with qtbot.waitSignal(window.runner.cancelled, timeout=10000):
        page.run(lambda: Job("slow job", slow))
        qtbot.waitUntil(lambda: page.progress.isVisible(), timeout=2000)
        ticks.append(page.progress.bar.value())
        qtbot.wait(100)  # the event loop keeps turning while the job runs
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not page.progress.isVisible()


def test_a_finished_job_leaves_the_runner_free_for_the_next(qtbot, window):
    """Whoever hears a job's outcome sees the runner idle: buttons re-enable, a next job starts."""
    runner = window.runner
    seen = []

    def on_success(result):
        seen.append((result, runner.busy))
        if len(seen) == 1:
            runner.start(Job("second job", lambda progress: "second"))

    runner.succeeded.connect(on_success)
    try:
        with qtbot.waitSignal(runner.idle, timeout=10000):
            runner.start(Job("first job", lambda progress: "first"))
    finally:
        runner.succeeded.disconnect(on_success)
    assert seen == [("first", False), ("second", False)]
    assert not runner.busy


def test_bad_file_is_a_plain_dialog(qtbot, window, errors, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Province,District,Cluster,Round,PCA,Refusal\nP,D,C1,R1,abc,1\n")
    page = window.show_page("flags")
    page.chooser.set_path(bad)
    with qtbot.waitSignal(window.runner.idle, timeout=30000):
        page.run_shortcut()
    assert errors == ["bad.csv › row 2, column 'PCA': PCA coverage 'abc' is not a number."]


def test_dropping_a_file_chooses_it(qtbot, window, sample_round_csv):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_round_csv))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.show_page("flags").controller.input_path == sample_round_csv


def launch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC, "QT_QPA_PLATFORM": "offscreen",
           "CLUSTERBOOK_CONFIG_DIR": str(Path(args[-1]).parent / "config")}
    return subprocess.run([sys.executable, "-m", "clusterbook.launcher", *args],
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_screenshot_of_the_demo(tmp_path):
    out = tmp_path / "flags.png"
    result = launch("--demo", "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_window_starts_and_renders_itself(tmp_path):
    """A plain start, as a double-click gives; how long it takes is
    benchmarks/launcher_start.py's to measure."""
    out = tmp_path / "start.png"
    result = launch("--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_excel_page_offers_set_up_only_where_it_works(qtbot, window):
    page = window.show_page("excel")
    assert page.setup_button.isEnabled() == (sys.platform == "win32")
    assert page.details.toPlainText().startswith("ClusterBook ")


def test_validate_page_by_dropping_a_folder(qtbot, window, tmp_path):
    from clusterbook.sample.submissions import write_sample_submissions

    folder = tmp_path / "submissions"
    write_sample_submissions(folder, district="Tangi", mistake_share=0.1)
    page = window.show_page("validate")
    assert page.drop([folder])
    with qtbot.waitSignal(window.runner.idle, timeout=60000):
        qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == len(page.controller.table())
    assert page.model.rowCount() > 0
    assert "files checked" in page.summary.text()
    page.severity.setCurrentIndex(1)
    assert {page.model.data(page.model.index(row, 0)) for row in range(page.model.rowCount())
            } <= {"error"}


def test_ccpm_page_scores_a_dropped_survey(qtbot, window, tmp_path):
    from clusterbook.sample.ccpm import sample_survey

    responses = tmp_path / "responses.csv"
    sample_survey("WASH").answers.to_csv(responses, index=False)
    page = window.show_page("ccpm")
    page.drop([responses])
    with qtbot.waitSignal(window.runner.idle, timeout=60000):
        qtbot.mouseClick(page.score_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 17
    statuses = {page.model.data(page.model.index(row, 3)) for row in range(17)}
    assert statuses <= {"Good", "Satisfactory", "Unsatisfactory", "Weak", "Not assessed"}
    colour = page.model.data(page.model.index(0, 3), Qt.ItemDataRole.BackgroundRole)
    assert colour is not None


def test_every_page_shows_and_the_demo_fills_them(qtbot, window):
    keys = [page.key for page in window.pages]
    assert keys == ["flags", "validate", "merge", "ccpm", "templates", "excel", "sample"]
    window.show_page("sample").load_everywhere()
    assert window.show_page("flags").table_model.rowCount() == 928
    assert window.show_page("validate").model.rowCount() > 0
    assert window.show_page("ccpm").model.rowCount() == 17


@pytest.mark.display
def test_the_window_opens_on_a_real_x_display(tmp_path):
    from conftest import require_program

    xvfb_run = require_program("xvfb-run")
    out = tmp_path / "xvfb.png"
    env = {**os.environ, "PYTHONPATH": SRC, "QT_QPA_PLATFORM": "xcb",
           "CLUSTERBOOK_CONFIG_DIR": str(tmp_path / "config")}
    result = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1400x900x24", sys.executable,
                             "-m", "clusterbook.launcher", "--page", "validate",
                             "--screenshot", str(out)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 700


def test_merge_page_by_dropping_a_folder_and_clicking(qtbot, window, tmp_path):
    from clusterbook.sample.submissions import write_sample_submissions

    folder = tmp_path / "submissions"
    write_sample_submissions(folder, district="Pirkoh", mistake_share=0.1)
    page = window.show_page("merge")
    assert page.drop([folder])
    assert page.out.edit.text().endswith("review-book.xlsx")
    with qtbot.waitSignal(window.runner.idle, timeout=120000):
        qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "review-book.xlsx").is_file()
    assert page.model.rowCount() > 0 and page.chart.bars
    assert page.feedback_button.isEnabled() and page.open_button.isEnabled()
