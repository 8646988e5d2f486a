"""`clusterbook databook`: the live campaign data book, filled from round data."""

from __future__ import annotations

import argparse
from pathlib import Path

from clusterbook.commands.options import add_rule_options, rule_options
from clusterbook.commands.terminal import working


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "databook", help="fill the live campaign data book from round data (CSV or XLSX)",
        description="Fill the campaign data book (clusters, PCA and refusals per round, and "
                    "every flag as a native Excel formula that recalculates as data is typed) "
                    "from the same round data 'clusterbook flags' reads.",
        epilog="Example: clusterbook databook rounds.csv --out databook.xlsx "
               "--clusters clusters.csv")
    parser.add_argument("input", type=Path, metavar="INPUT", help="round data, .csv or .xlsx")
    parser.add_argument("--out", type=Path, metavar="BOOK.xlsx",
                        help="the book to write (default: INPUT's name with '-databook.xlsx'; "
                             "a book there is kept as 'NAME (old).xlsx')")
    parser.add_argument("--clusters", type=Path, metavar="FILE",
                        help="a cluster list (.csv or .xlsx) with target population and "
                             "households; its clusters without round data are added too")
    add_rule_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.jobs.databook import DataBookRequest, run_databook
    from clusterbook.outputs import existing_input, kept_note, output_file

    inputs = [existing_input(path) for path in (args.input, args.clusters) if path is not None]
    out = args.out or args.input.with_name(f"{args.input.stem}-databook.xlsx")
    old = output_file(out, inputs=inputs, writes="campaign-databook")
    with working(f"Filling {out.name}"):
        result = run_databook(DataBookRequest(args.input, out, args.clusters,
                                              rules=rule_options(args)))
    print("\n".join(filter(None, (result.report(), kept_note(old)))))
    return 0
