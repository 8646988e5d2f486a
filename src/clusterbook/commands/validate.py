"""`clusterbook validate`: check filled microplans and action plans before they are sent."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from clusterbook.commands.terminal import plural, progress_bar
from clusterbook.outputs import UsageError, existing_input, kept_note, output_file

FORMATS = ("table", "json", "xlsx")
#: The findings book's name when --format xlsx has no --out.
DEFAULT_FINDINGS = "findings.xlsx"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check filled microplans and action plans (files or folders)",
        description="Check filled microplan and action plan workbooks and say exactly what "
                    "is wrong and where: file, sheet and cell. Folders are searched "
                    "recursively. Files are never modified. Only files with problems are listed; "
                    "the summary counts the others. Exit code 1 when a file has errors "
                    "(warnings alone: 0).",
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
                             "'findings.xlsx'). A file there is kept as 'NAME (old).EXT'; an "
                             "input is never written over")
    parser.add_argument("--verbose", action="store_true",
                        help="list the files without problems, and every checked copy")
    parser.add_argument("--write-back", action="store_true",
                        help="write NAME.checked.xlsx beside each readable file: a Checks sheet "
                             "and the offending cells highlighted (the original is untouched)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.jobs.validate import ValidateRequest, render, validate_paths, write_back

    # A broken link is named by the intake (a finding), not taken for a mistyped path.
    missing = [path for path in args.paths if not path.exists() and not path.is_symlink()
               and not path.name.startswith(("~$", ".~lock."))]
    if missing:
        names = ", ".join(f"'{path}'" for path in missing)
        raise UsageError(f"{names}: no such file or folder")
    inputs = [path for path in args.paths if path.is_file()]
    if args.clusters is not None:
        inputs.append(existing_input(args.clusters))
    out = args.out if args.format != "xlsx" else args.out or Path(DEFAULT_FINDINGS)
    old = None if out is None else output_file(
        out, inputs=inputs, endings=(".xlsx",) if args.format == "xlsx" else ())
    with progress_bar() as bar:
        result = validate_paths(ValidateRequest(args.paths, args.clusters, args.final), bar)
    render(result, args.format, out, valid_files=args.verbose)
    if old is not None:
        print(kept_note(old))
    if out is None and args.format == "table" and not args.verbose and \
            any(not item.findings for item in result.files):
        print("(--verbose lists the files without problems too)")
    if args.write_back:
        _report_write_back(write_back(result), args.verbose,
                           sys.stderr if args.format == "json" and out is None else sys.stdout)
    return 1 if result.errors else 0


def _report_write_back(lines: list[str], verbose: bool, stream: TextIO) -> None:
    """Each copy that could not be written; the copies written counted (listed when
    verbose)."""
    written = [line for line in lines if line.startswith("Wrote ")]
    for line in lines:
        if verbose or not line.startswith("Wrote "):
            print(line, file=stream)
    print(f"Wrote {plural(len(written), 'checked copy', 'checked copies')} beside the "
          f"originals (NAME.checked.xlsx)" + ("" if verbose or not written else
                                             "; --verbose lists them") + ".", file=stream)
