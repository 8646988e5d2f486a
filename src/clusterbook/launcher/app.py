"""Start the launcher: `clusterbook-launcher`, `clusterbook launcher` or
`python -m clusterbook.launcher`.

``--screenshot PATH`` renders the window to a PNG and exits; ``--demo`` first loads the
built-in sample region, so the pages show real results.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clusterbook-launcher",
                                     description="Open the ClusterBook launcher.")
    parser.add_argument("--demo", action="store_true",
                        help="load the built-in sample region (synthetic) first")
    parser.add_argument("--page", metavar="NAME",
                        help="open on this page (flags, validate, merge, ccpm, templates, excel)")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="render the window to a PNG file and exit")
    parser.add_argument("--size", default="", metavar="WxH",
                        help="window size in pixels, e.g. 1280x800")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Open the launcher; returns the exit code."""
    args = build_parser().parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from clusterbook.launcher.settings import Settings
    from clusterbook.launcher.widgets.build import build_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ClusterBook")
    app.setOrganizationName("ClusterBook")
    settings = Settings.load()
    if args.screenshot:
        settings.path = None  # a screenshot changes nothing the user remembers
    window = build_window(settings)
    if args.size:
        width, _, height = args.size.partition("x")
        window.resize(int(width), int(height))
    if args.page:
        window.show_page(args.page)
    if args.demo:
        from clusterbook.launcher.widgets.build import load_demo

        load_demo(window)
    window.show()
    if args.screenshot:
        return screenshot(app, window, args.screenshot)
    return app.exec()


def screenshot(app: object, window: object, path: Path) -> int:
    """Render the window to ``path`` once it is laid out, and quit."""
    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):  # type: ignore[attr-defined]
        print(f"clusterbook-launcher: could not write {path}", file=sys.stderr)
        return 1
    return 0
