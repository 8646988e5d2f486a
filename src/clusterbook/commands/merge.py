"""`clusterbook merge`: district submissions into a provincial or regional review book."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "merge", help="merge a folder of submissions into a review book",
        description="Merge every filled microplan and action plan in a folder (searched "
                    "recursively; provincial review books too) into one review book: a "
                    "summary, every row with where it came from, every finding, the superseded "
                    "submissions and a Feedback sheet for the reviewers. Merging into an "
                    "existing review book keeps its Feedback; only new or changed files are "
                    "read again. Files are never modified.",
        epilog="Example: clusterbook merge submissions/ --out review.xlsx --clusters flags.xlsx")
    parser.add_argument("folder", type=Path, metavar="FOLDER",
                        help="the folder of submitted workbooks")
    parser.add_argument("--out", type=Path, required=True, metavar="REVIEW.xlsx",
                        help="the review book to write (or update)")
    parser.add_argument("--clusters", type=Path, metavar="DATABOOK",
                        help="the cluster list: the campaign data book, the flags book, round "
                             "data, or a list (CSV/XLSX) with cluster code and district; says "
                             "which clusters are expected and which are low performing")
    parser.add_argument("--level", choices=("province", "region"), default="region",
                        help="region (default): every cluster of the list is expected; "
                             "province: only those of the provinces the submissions are from")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.consolidate import merge_folder

    if not args.folder.is_dir():
        print(f"clusterbook merge: '{args.folder}': no such folder", file=sys.stderr)
        return 2
    if args.out.suffix.lower() != ".xlsx":
        print("clusterbook merge: --out must end in .xlsx", file=sys.stderr)
        return 2
    if args.clusters is not None and not args.clusters.exists():
        print(f"clusterbook merge: '{args.clusters}': no such file", file=sys.stderr)
        return 2
    progress = None if args.quiet or not sys.stderr.isatty() else _progress_line
    result = merge_folder(args.folder, args.out, clusters=args.clusters, level=args.level,
                          progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    print(result.summary())
    return 0


def _progress_line(done: int, total: int, message: str) -> None:
    print(f"\r{message:<60.60}", end="", file=sys.stderr, flush=True)
