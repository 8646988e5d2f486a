"""`clusterbook validate`: check filled microplans and action plans before they are sent."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("table", "json", "xlsx")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check filled microplans and action plans (files or folders)",
        description="Check filled microplan and action plan workbooks and say exactly what "
                    "is wrong and where: file, sheet and cell. Folders are searched "
                    "recursively. Files are never modified. Exit code 0: no errors; 1: errors "
                    "found; 2: the command was not used correctly.",
        epilog="Example: clusterbook validate submissions/ --clusters flags.xlsx --write-back")
    parser.add_argument("paths", type=Path, nargs="+", metavar="FILES_OR_FOLDERS",
                        help="workbooks (.xlsx, .xlsm) or folders holding them")
    parser.add_argument("--clusters", type=Path, metavar="DATABOOK",
                        help="the cluster list: the campaign data book, the flags book, round "
                             "data, or a list (CSV/XLSX) with cluster code and district "
                             "(and optionally a status or low-performing column)")
    parser.add_argument("--final", action="store_true",
                        help="treat every submission as final: the sign-off must be complete")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (default), json (a list of findings) or xlsx (a findings "
                             "book, see --out)")
    parser.add_argument("--out", type=Path, metavar="PATH",
                        help="where to write the findings (default: the screen; for xlsx "
                             "'findings.xlsx')")
    parser.add_argument("--write-back", action="store_true",
                        help="write NAME.checked.xlsx beside each readable file: a Checks sheet "
                             "and the offending cells highlighted (the original is untouched)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.domain.checks import CheckContext
    from clusterbook.domain.errors import InputError
    from clusterbook.validation import render, validate_paths, write_back

    # A broken link is named by the intake (a finding), not taken for a mistyped path.
    missing = [path for path in args.paths if not path.exists() and not path.is_symlink()
               and not path.name.startswith(("~$", ".~lock."))]
    if missing:
        names = ", ".join(f"'{path}'" for path in missing)
        print(f"clusterbook validate: {names}: no such file or folder", file=sys.stderr)
        return 2
    if args.format == "xlsx" and args.out is not None and args.out.suffix.lower() != ".xlsx":
        print("clusterbook validate: --out must end in .xlsx for --format xlsx",
              file=sys.stderr)
        return 2
    clusters = None
    if args.clusters is not None:
        from clusterbook.clusterfile import load_cluster_list

        if not args.clusters.exists():
            print(f"clusterbook validate: '{args.clusters}': no such file", file=sys.stderr)
            return 2
        clusters = load_cluster_list(args.clusters)
    context = CheckContext(clusters=clusters, final=args.final)
    try:
        result = validate_paths(args.paths, context)
    except InputError as error:
        print(f"clusterbook validate: {error}", file=sys.stderr)
        return 2
    render(result, args.format, args.out)
    if args.write_back:
        for line in write_back(result):
            print(line, file=sys.stderr if args.format == "json" and args.out is None
                  else sys.stdout)
    return 1 if result.errors else 0
