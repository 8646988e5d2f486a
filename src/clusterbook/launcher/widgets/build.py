"""Assembling the window: one controller and one page per job."""

from __future__ import annotations

from pathlib import Path

from clusterbook.launcher.settings import Settings
from clusterbook.launcher.widgets.pages.base import Page
from clusterbook.launcher.widgets.window import MainWindow
from clusterbook.launcher.widgets.worker import JobRunner


def build_pages(settings: Settings, runner: JobRunner) -> list[Page]:
    """Every page, in the order of the navigation list."""
    from clusterbook.launcher.controllers.addin import AddinController
    from clusterbook.launcher.controllers.ccpm import CcpmController
    from clusterbook.launcher.controllers.flags import FlagsController
    from clusterbook.launcher.controllers.merge import MergeController
    from clusterbook.launcher.controllers.templates import TemplatesController
    from clusterbook.launcher.controllers.validate import ValidateController
    from clusterbook.launcher.widgets.pages.addin import AddinPage
    from clusterbook.launcher.widgets.pages.ccpm import CcpmPage
    from clusterbook.launcher.widgets.pages.flags import FlagsPage
    from clusterbook.launcher.widgets.pages.merge import MergePage
    from clusterbook.launcher.widgets.pages.templates import TemplatesPage
    from clusterbook.launcher.widgets.pages.validate import ValidatePage

    return [
        FlagsPage(runner, FlagsController(settings)),
        ValidatePage(runner, ValidateController(settings)),
        MergePage(runner, MergeController(settings)),
        CcpmPage(runner, CcpmController(settings)),
        TemplatesPage(runner, TemplatesController(settings)),
        AddinPage(runner, AddinController()),
    ]


def build_window(settings: Settings) -> MainWindow:
    from clusterbook.launcher.controllers.demo import DemoController
    from clusterbook.launcher.widgets.pages.demo import DemoPage

    runner = JobRunner()
    pages = build_pages(settings, runner)
    holder: list[MainWindow] = []
    pages.append(DemoPage(runner, DemoController(settings),
                          lambda: load_demo(holder[0])))
    window = MainWindow(settings, runner, pages)
    holder.append(window)
    runner.setParent(window)
    return window


def load_demo(window: MainWindow) -> None:
    """Fill the pages with the sample region (written to a temporary folder)."""
    import tempfile

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    folder = demo_folder(Path(tempfile.gettempdir()) / "clusterbook-launcher-demo")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        for page in window.pages:
            load = getattr(page, "load_demo", None)
            if load is not None:
                load(folder)
    finally:
        QApplication.restoreOverrideCursor()


def demo_folder(folder: Path) -> Path:
    """The sample region's files, written once into ``folder``."""
    from clusterbook.jobs.demo import write_sample_round_data

    if not (folder / "round_data.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_sample_round_data(folder)
    return folder
