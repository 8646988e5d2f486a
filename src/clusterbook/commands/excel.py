"""`clusterbook excel`: set up Excel for ClusterBook's worksheet functions and buttons, show
what is set up, or remove it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "excel", help="the ClusterBook add-in: =CLUSTER_STATUS() and the buttons in Excel",
        description="Write the ClusterBook add-in, register it for the current user (Excel "
                    "on Windows), show what is set up, or remove it again.")
    jobs = parser.add_subparsers(title="jobs", metavar="JOB", required=True)
    setup = jobs.add_parser(
        "setup", help="register the ClusterBook add-in for this user (safe to run again)",
        description="Add ClusterBook.xlam to the current user's Excel add-ins, so that Excel "
                    "loads it at every start: the worksheet functions in every workbook and "
                    "the ClusterBook tab on the ribbon. Your own xlwings add-in and "
                    "xlwings.conf are left as they are. Asks nothing; running it again "
                    "changes nothing. Close Excel first.",
        epilog=r"Example: clusterbook excel setup --addin C:\ClusterBook\ClusterBook.xlam")
    setup.add_argument("--addin", type=Path, metavar="PATH.xlam",
                       help="the add-in to register (default: the installed one, or one "
                            "written for this Python)")
    setup.add_argument("--quiet", action="store_true", help="print nothing when all went well")
    setup.set_defaults(run=run_setup)
    remove = jobs.add_parser(
        "remove", help="undo the set-up for the current user (safe to run again)",
        description="Remove what 'clusterbook excel setup' did for the current user: the "
                    "ClusterBook add-in leaves Excel's list of add-ins (the others stay, in "
                    "their order). Asks nothing. Close Excel first.",
        epilog="The ClusterBook uninstaller runs: python -m clusterbook excel remove --quiet")
    remove.add_argument("--quiet", action="store_true", help="print nothing when all went well")
    remove.set_defaults(run=run_remove)
    status = jobs.add_parser("status", help="show what is set up, and what this system offers",
                             description="Show the add-in, where it is registered and what works "
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
    from clusterbook.jobs.excel import ExcelSetupRequest, set_up_excel

    result = set_up_excel(ExcelSetupRequest(args.addin))
    if not result.done or not args.quiet:
        print(result.text())
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from clusterbook.jobs.excel import ExcelSetupRequest, remove_excel_setup

    result = remove_excel_setup(ExcelSetupRequest())
    if not args.quiet:
        print(result.text())
    return 0


def run_addin(args: argparse.Namespace) -> int:
    from clusterbook.jobs.excel import AddinRequest, write_addin

    result = write_addin(AddinRequest(args.out, args.interpreter, args.pythonpath))
    print(f"Wrote the ClusterBook add-in {result.path} (Python: {result.interpreter})")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from clusterbook.jobs.excel import excel_status

    result = excel_status()
    print(json.dumps(result.as_dict(), indent=2) if args.json else result.text())
    return 0
