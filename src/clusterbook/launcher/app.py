"""Start the launcher: `clusterbook-launcher`, `clusterbook launcher` or
`python -m clusterbook.launcher`.

``--screenshot PATH`` renders the window to a PNG and exits; ``--demo`` first loads the
built-in sample region, so the pages show real results.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

#: Every page, by the name --page takes, in the window's order.
PAGES: Final = {"flags": "low-performing clusters", "validate": "check submissions",
                "merge": "merge submissions", "ccpm": "CCPM self-assessment",
                "templates": "blank templates", "excel": "Excel add-in",
                "sample": "try the sample region"}
#: Exit code when the window cannot open (no display); 2 is a wrong command line.
EXIT_NO_DISPLAY: Final = 1
EXIT_USAGE: Final = 2


def page_list() -> str:
    """'flags (low-performing clusters), validate (check submissions), …'"""
    return ", ".join(f"{key} ({title})" for key, title in PAGES.items())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clusterbook-launcher", description="Open the ClusterBook launcher.",
        epilog="Exit codes: 0 the window was closed (or the screenshot written); 1 no display "
               "to open the window on; 2 the command was not used correctly.")
    parser.add_argument("--demo", action="store_true",
                        help="load the built-in sample region (synthetic) first")
    parser.add_argument("--page", metavar="NAME", type=page_name,
                        help=f"open on this page: {page_list()}")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="render the window to a PNG file and exit (a file there is kept "
                             "as 'NAME (old).png')")
    parser.add_argument("--size", metavar="WxH", type=window_size,
                        help="window size in pixels, e.g. 1280x800")
    return parser


def window_size(text: str) -> str:
    """A window size as typed after --size ('1280x800')."""
    width, _, height = text.strip().casefold().partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
        raise argparse.ArgumentTypeError(f"'{text}' is not a window size; give width x "
                                         f"height in pixels, e.g. 1280x800")
    return f"{int(width)}x{int(height)}"


def page_name(text: str) -> str:
    """A page's name as typed after --page, any case."""
    key = text.strip().casefold()
    if key not in PAGES:
        raise argparse.ArgumentTypeError(f"there is no page '{text}'; the pages are "
                                         f"{page_list()}")
    return key


def missing_display(screenshot: bool) -> str:
    """Why the window cannot open here, in a sentence, or '' when it can. A screenshot
    needs no display: it is drawn off screen."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform in ("win32", "darwin") or (platform and platform != "xcb"):
        return ""
    if os.environ.get("WAYLAND_DISPLAY") and not platform:
        return ""
    problem = _x_display_problem(os.environ.get("DISPLAY", ""))
    if problem and screenshot and not platform:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return ""
    return problem


def _x_display_problem(display: str) -> str:
    if not display:
        return ("there is no display to open the window on (DISPLAY is not set): run it "
                "from the desktop, or use the command line ('clusterbook --help')")
    number = display.rpartition(":")[2].split(".")[0]
    if display.startswith(":") and number.isdigit() and \
            not Path(f"/tmp/.X11-unix/X{number}").exists():
        return (f"the display {display} is not running: run it from the desktop, or use the "
                f"command line ('clusterbook --help')")
    return ""


def main(argv: Sequence[str] | None = None, prog: str = "clusterbook-launcher") -> int:
    """Open the launcher; returns the exit code. ``prog`` starts its messages."""
    args = build_parser().parse_args(argv)
    old = None
    if args.screenshot:
        from clusterbook.outputs import UsageError, output_file

        try:
            old = output_file(args.screenshot, endings=(".png",))
        except UsageError as error:
            print(f"{prog}: {error}", file=sys.stderr)
            return EXIT_USAGE
    problem = missing_display(args.screenshot is not None)
    if problem:
        print(f"{prog}: {problem}.", file=sys.stderr)
        return EXIT_NO_DISPLAY
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
        width, _, height = args.size.partition("x")  # checked by window_size
        window.resize(int(width), int(height))
    if args.page:
        window.show_page(args.page)
    if args.demo:
        from clusterbook.launcher.widgets.build import load_demo

        load_demo(window)
    window.show()
    if args.screenshot:
        return screenshot(app, window, args.screenshot, prog=prog, old=old)
    return app.exec()


def screenshot(app: object, window: object, path: Path, *, prog: str = "clusterbook-launcher",
               old: Path | None = None) -> int:
    """Render the window to ``path`` once it is laid out, and quit; ``old`` is where the
    output rules kept an earlier file of that name."""
    from clusterbook.outputs import drop_old_if_same, kept_note

    for _ in range(5):
        app.processEvents()  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):  # type: ignore[attr-defined]
        print(f"{prog}: could not write {path} (nothing was written)", file=sys.stderr)
        return EXIT_NO_DISPLAY
    note = kept_note(drop_old_if_same(old, path))
    print(f"Wrote {path}" + (f". {note}" if note else ""))
    return 0
