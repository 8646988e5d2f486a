"""`clusterbook excel`: set up Excel for ClusterBook's worksheet functions and buttons, show
what is set up, or remove it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "excel", help="set up Excel for =CLUSTER_STATUS() and the buttons (Windows)",
        description="Install the xlwings add-in for the current user and write the user's "
                    "xlwings settings, so that Excel on Windows finds ClusterBook's worksheet "
                    "functions; show what is set up; or remove it again.")
    jobs = parser.add_subparsers(title="jobs", metavar="JOB", required=True)
    setup = jobs.add_parser(
        "setup", help="install the add-in and write the settings (safe to run again)",
        description="Copy the xlwings add-in into Excel's start-up folder and write "
                    r"%USERPROFILE%\.xlwings\xlwings.conf (the interpreter, UDF MODULES = "
                    "clusterbook.udfs). Asks nothing; running it again changes nothing. "
                    "Close Excel first.",
        epilog=r"Example: clusterbook excel setup --interpreter C:\ClusterBook\python.exe")
    setup.add_argument("--interpreter", type=Path, metavar="PATH",
                       help="the python.exe Excel should run (default: this Python)")
    setup.add_argument("--quiet", action="store_true", help="print nothing when all went well")
    setup.set_defaults(run=run_setup)
    remove = jobs.add_parser(
        "remove", help="undo the set-up for the current user (safe to run again)",
        description="Remove what 'clusterbook excel setup' did for the current user: "
                    "ClusterBook's entries in the xlwings settings (a setting it replaced gets "
                    "its old value back; the file goes when nothing else is left in it) and "
                    "the xlwings add-in in Excel's start-up folder, when the set-up installed "
                    "it and nothing else uses it. Asks nothing. Close Excel first.",
        epilog="The ClusterBook uninstaller runs: python -m clusterbook excel remove --quiet")
    remove.add_argument("--quiet", action="store_true", help="print nothing when all went well")
    remove.set_defaults(run=run_remove)
    status = jobs.add_parser("status", help="show what is set up, and what this system offers",
                             description="Show the add-in, the xlwings settings and what works "
                                         "on this system.")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(run=run_status)
    build = jobs.add_parser(
        "addin", help="write the ClusterBook add-in (ClusterBook.xlam), on any system",
        description="Write ClusterBook.xlam: the worksheet functions' wrappers, the ClusterBook "
                    "tab on the ribbon and xlwings' runtime with the add-in's own settings "
                    "(it never reads or changes xlwings.conf). The installer ships the one its "
                    "build writes.",
        epilog=r"Example: clusterbook excel addin --out ClusterBook.xlam --interpreter "
               r"C:\ClusterBook\python\pythonw.exe")
    build.add_argument("--out", type=Path, required=True, metavar="PATH.xlam",
                       help="where to write the add-in")
    build.add_argument("--interpreter", metavar="PATH",
                       help="the pythonw.exe the add-in runs; may start with {ADDIN_FOLDER}, "
                            "the add-in's folder (default on Windows: this Python; elsewhere: "
                            r"{ADDIN_FOLDER}\python\pythonw.exe, the installed layout)")
    build.add_argument("--pythonpath", default="", metavar="FOLDERS",
                       help="folders Python also imports from (a source checkout)")
    build.set_defaults(run=run_addin)


def run_setup(args: argparse.Namespace) -> int:
    from clusterbook.excel import addin

    system = addin.system_name()
    if system != "windows":
        print(f"Nothing to set up on {addin.SYSTEM_NAMES[system]}: the Excel add-in is for "
              f"Windows.")
        print("\n".join(addin.AVAILABILITY[system]))
        return 0
    report = addin.setup(addin.UserFolders.of_current_user(), args.interpreter)
    if not args.quiet:
        print(report.text())
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from clusterbook.excel import addin

    system = addin.system_name()
    if system != "windows":
        if not args.quiet:
            print(f"Nothing to remove on {addin.SYSTEM_NAMES[system]}: the Excel add-in is "
                  f"set up on Windows only.")
        return 0
    report = addin.remove(addin.UserFolders.of_current_user())
    if not args.quiet:
        print(report.text())
    return 0


def run_addin(args: argparse.Namespace) -> int:
    from clusterbook.excel import addin_file

    settings = addin_file.AddinSettings(args.interpreter or addin_file.default_interpreter(),
                                        args.pythonpath)
    path = addin_file.build_addin(args.out, settings)
    print(f"Wrote the ClusterBook add-in {path} (Python: {settings.interpreter})")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from clusterbook.excel import addin

    result = addin.status()
    print(json.dumps(result.as_dict(), indent=2) if args.json else result.text())
    return 0
