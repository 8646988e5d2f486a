"""`clusterbook merge`: district submissions into a provincial or regional review book."""

from __future__ import annotations

import argparse
from pathlib import Path

from clusterbook.commands.terminal import progress_bar
from clusterbook.domain.levels import LEVELS, Level


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "merge", help="merge a folder of submissions into a review book",
        description="Merge every filled microplan and action plan in a folder (searched "
                    "recursively; provincial review books too) into one review book: a "
                    "summary, every row with where it came from, every finding, the superseded "
                    "submissions and a Feedback sheet for the reviewers. Merging into an "
                    "existing review book keeps its Feedback; only new or changed files are "
                    "read again. Files are never modified. Exit code 1 when the merged files "
                    "hold errors (the review book is written, with them in its Issues sheet).",
        epilog="Example: clusterbook merge submissions/ --out review.xlsx --clusters flags.xlsx")
    parser.add_argument("folder", type=Path, metavar="FOLDER",
                        help="the folder of submitted workbooks")
    parser.add_argument("--out", type=Path, required=True, metavar="REVIEW.xlsx",
                        help="the review book to write (or update; the book it replaces is "
                             "kept in backups/ beside it). A file there that is not a review "
                             "book is refused")
    parser.add_argument("--clusters", type=Path, metavar="DATABOOK",
                        help="the cluster list: the campaign data book, the flags book, round "
                             "data, or a list (CSV/XLSX) with cluster code and district; says "
                             "which clusters are expected and which are low performing")
    parser.add_argument("--level", choices=[str(level) for level in LEVELS],
                        default=str(Level.REGION),
                        help="region (default): every cluster of the list is expected; "
                             "province: only those of the provinces the submissions are from")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.jobs.merge import MergeRequest, merge_folder
    from clusterbook.outputs import existing_input, output_file

    existing_input(args.folder, what="folder")
    clusters = [existing_input(args.clusters)] if args.clusters is not None else []
    # the merge keeps the book it replaces in backups/ itself
    output_file(args.out, inputs=clusters, keep_old=False)
    with progress_bar(args.quiet) as bar:
        # A book up to date is not read again: its counts come from the ledger.
        result = merge_folder(MergeRequest(args.folder, args.out, args.clusters, args.level,
                                           review_when_up_to_date=False), bar)
    print(result.summary())
    return 1 if result.errors else 0
