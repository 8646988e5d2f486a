"""The launcher as an officer meets it: every value readable, buttons clean, unknown pages
and missing displays answered in a sentence, no stale message from an earlier run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTableView

import clusterbook
from clusterbook.launcher.app import PAGES
from clusterbook.launcher.settings import Settings
from clusterbook.launcher.widgets.build import build_window
from clusterbook.launcher.widgets.table import (
    MAX_COLUMN_CHARACTERS,
    DetailedTable,
    FrameModel,
    fit_columns,
)

SRC = str(Path(clusterbook.__file__).parent.parent)
LONG = ("PCA below the regional benchmark in each of the last 3 rounds; refusal above 10% "
        "in R10, R11 and R12; 1,204 children missed, the most in the district")


def launcher(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clusterbook", "launcher", *args],
                          capture_output=True, text=True, timeout=120,
                          env={**(env or os.environ), "PYTHONPATH": SRC})


@pytest.fixture
def window(qtbot, tmp_path):
    window = build_window(Settings.load(tmp_path / "launcher.json"))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield window
    window.runner.cancel()
    window.runner.wait()


def test_the_page_names_are_the_windows_pages(window):
    assert [page.key for page in window.pages] == list(PAGES)


def test_an_unknown_page_is_answered_with_the_list_of_pages():
    result = launcher("--page", "nosuch", "--screenshot", "x.png")
    assert result.returncode == 2
    assert "there is no page 'nosuch'; the pages are flags (low-performing clusters)" in \
        result.stderr
    assert "sample (try the sample region)" in result.stderr
    assert "Traceback" not in result.stderr and "KeyError" not in result.stderr


def test_a_wrong_screenshot_path_or_size_is_a_usage_error(tmp_path):
    env = {**os.environ, "CLUSTERBOOK_CONFIG_DIR": str(tmp_path / "config")}
    folder = tmp_path / "shots"
    folder.mkdir()
    into_folder = launcher("--screenshot", str(folder), env=env)
    assert into_folder.returncode == 2
    assert into_folder.stderr == (f"clusterbook launcher: '{folder}' is a folder; give a file "
                                  f"name ending in .png\n")
    not_png = launcher("--screenshot", str(tmp_path / "shot.txt"), env=env)
    assert not_png.returncode == 2 and "'shot.txt' must end in .png" in not_png.stderr
    size = launcher("--size", "12", "--screenshot", str(tmp_path / "s.png"), env=env)
    assert size.returncode == 2
    assert "'12' is not a window size; give width x height in pixels" in size.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["shots"]


def test_a_screenshot_taken_again_keeps_the_earlier_one(tmp_path):
    env = {**os.environ, "CLUSTERBOOK_CONFIG_DIR": str(tmp_path / "config")}
    out = tmp_path / "window.png"
    out.write_bytes(b"an earlier picture")
    shot = launcher("--page", "templates", "--size", "1280x800", "--screenshot", str(out),
                    env=env)
    assert shot.returncode == 0, shot.stderr
    kept = tmp_path / "window (old).png"
    assert shot.stdout == f"Wrote {out}. The earlier file is kept as {kept}.\n"
    assert kept.read_bytes() == b"an earlier picture"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_help_lists_every_page():
    text = " ".join(launcher("--help").stdout.split())
    for key, title in PAGES.items():
        assert f"{key} ({title})" in text


def test_no_display_is_a_sentence_and_exit_1(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = launcher(env=env)
    assert result.returncode == 1
    assert result.stderr == ("clusterbook launcher: there is no display to open the window on "
                             "(DISPLAY is not set): run it from the desktop, or use the "
                             "command line ('clusterbook --help').\n")
    # a screenshot needs no display: it is drawn off screen
    shot = launcher("--page", "templates", "--screenshot", str(tmp_path / "t.png"),
                    env={**env, "CLUSTERBOOK_CONFIG_DIR": str(tmp_path / "config")})
    assert shot.returncode == 0, shot.stderr
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"


def test_a_long_value_is_elided_shown_on_hover_and_in_the_detail_pane(qtbot):
    frame = pd.DataFrame({"Cluster code": ["KTL-001", "KTL-002"], "Reasons": [LONG, "short"],
                          "District": ["Kotal", "Kotal"]})
    model, view = FrameModel(), QTableView()
    view.setModel(model)
    table = DetailedTable(view)
    qtbot.addWidget(table)
    table.resize(500, 300)
    table.show()
    model.set_frame(frame)
    fit_columns(view)
    reasons = model.index(0, 1)
    assert view.columnWidth(1) < view.fontMetrics().horizontalAdvance(LONG)
    assert view.columnWidth(0) + view.columnWidth(1) + view.columnWidth(2) <= max(
        view.viewport().width(), 3 * view.fontMetrics().averageCharWidth() *
        MAX_COLUMN_CHARACTERS)
    assert view.textElideMode() == Qt.TextElideMode.ElideRight
    assert model.data(reasons, Qt.ItemDataRole.ToolTipRole) == LONG
    assert table.detail.text() == f"Cluster code: KTL-001  ·  Reasons: {LONG}  ·  District: Kotal"
    view.setCurrentIndex(model.index(1, 0))
    assert "Reasons: short" in table.detail.text()


def test_flags_page_shows_the_reasons_in_sight_and_in_full(qtbot, window, sample_round_csv):
    page = window.show_page("flags")
    page.choose(sample_round_csv)
    page.show_result(window.runner.run_now(page.controller.job()))
    qtbot.wait(50)
    model, view = page.table_model, page.table
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    column = headers.index("Reasons")
    right_edge = sum(view.columnWidth(c) for c in range(column + 1))
    assert right_edge <= view.viewport().width()  # in sight without scrolling
    reasons = model.data(model.index(0, column))
    assert f"Reasons: {reasons}" in page.table.parent().detail.text()


def test_recent_keeps_room_for_its_arrow(window):
    chooser = window.show_page("flags").chooser
    assert isinstance(chooser.recent, QPushButton) and chooser.recent.menu() is not None
    text = chooser.recent.fontMetrics().horizontalAdvance("Recent")
    assert chooser.recent.width() >= text + 20


def test_the_demo_merge_page_shows_its_own_merge(tmp_path):
    from clusterbook.launcher.controllers.merge import MergeController
    from clusterbook.sample.submissions import write_sample_submissions

    folder = tmp_path / "demo"
    write_sample_submissions(folder / "submissions", district="Kotal", mistake_share=0.1)
    controller = MergeController(Settings.load(tmp_path / "launcher.json"))
    controller.choose_folder(folder / "submissions")
    for _ in range(2):  # a second demo finds the first one's book, ledger and backups
        controller.out = controller.fresh_demo_book(folder)
        controller.accept(controller.job().run())
        assert controller.summary_text().startswith("Merged "), controller.summary_text()
        assert "up to date" not in controller.summary_text()
