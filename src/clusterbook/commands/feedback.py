"""`clusterbook feedback`: one feedback book per province from a review book."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "feedback", help="write one feedback book per province from a review book",
        description="Write one book per province from a review book: its clusters' review "
                    "status, comment and priority, and every finding in the files it sent. "
                    "The review book is only read.",
        epilog="Example: clusterbook feedback review.xlsx --out feedback/")
    parser.add_argument("book", type=Path, metavar="REVIEW.xlsx", help="the review book")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="the folder to write the feedback books into")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.consolidate import write_feedback_books

    if not args.book.is_file():
        print(f"clusterbook feedback: '{args.book}': no such file", file=sys.stderr)
        return 2
    paths = write_feedback_books(args.book, args.out)
    for path in paths:
        print(f"Wrote {path}")
    return 0
