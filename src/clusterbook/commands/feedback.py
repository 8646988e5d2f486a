"""`clusterbook feedback`: one feedback book per province from a review book."""

from __future__ import annotations

import argparse
from pathlib import Path

from clusterbook.commands.terminal import plural


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "feedback", help="write one feedback book per province from a review book",
        description="Write one book per province from a review book: its clusters' review "
                    "status, comment and priority, and every finding in the files it sent. "
                    "The review book is only read.",
        epilog="Example: clusterbook feedback review.xlsx --out feedback/")
    parser.add_argument("book", type=Path, metavar="REVIEW.xlsx", help="the review book")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="the folder to write the feedback books into (made when "
                             "missing; a book already there is kept as 'NAME (old).xlsx')")
    parser.add_argument("--verbose", action="store_true", help="list every book written")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.jobs.feedback import FeedbackRequest, write_feedback_books
    from clusterbook.outputs import existing_input, output_folder

    existing_input(args.book)
    output_folder(args.out, inputs=[args.book])
    before = set(args.out.iterdir())
    paths = write_feedback_books(FeedbackRequest(args.book, args.out)).books
    kept = [path for path in set(args.out.iterdir()) - before if " (old" in path.name]
    if args.verbose:
        for path in paths:
            print(f"Wrote {path}")
    print(f"Wrote {plural(len(paths), 'feedback book')} into {args.out}"
          + ("" if args.verbose else " (--verbose lists them)") + ".")
    if kept:
        print(f"The earlier {plural(len(kept), 'book')} of the same name "
              f"{'is' if len(kept) == 1 else 'are'} kept, with '(old)' in the name.")
    return 0
