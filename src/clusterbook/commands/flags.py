"""`clusterbook flags`: which clusters are low performing, round by round."""

from __future__ import annotations

import argparse
from pathlib import Path

from clusterbook.commands.options import add_rule_options, rule_options
from clusterbook.commands.terminal import working


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "flags", help="flag low-performing clusters from round data (CSV or XLSX)",
        description="Read round data (one row per cluster per round, CSV or XLSX) and write "
                    "every cluster's status in every round, with reasons, entry and exit "
                    "rounds and priority, plus a summary per district.",
        epilog="Example: clusterbook flags rounds.csv --out flags.xlsx --benchmark weighted")
    parser.add_argument("input", type=Path, metavar="INPUT", help="round data, .csv or .xlsx")
    parser.add_argument("--out", type=Path, metavar="OUT",
                        help="where to write: .xlsx (a book with summary) or .csv "
                             "(default: INPUT's name with '-flags.xlsx'; a file there is "
                             "kept as 'NAME (old).xlsx')")
    add_rule_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.jobs.flags import FlagsRequest, run_flags
    from clusterbook.outputs import existing_input, kept_note, output_file

    existing_input(args.input)
    out = args.out or args.input.with_name(f"{args.input.stem}-flags.xlsx")
    old = output_file(out, inputs=[args.input], endings=(".xlsx", ".csv"))
    with working(f"Flagging the clusters of {args.input.name}"):
        result = run_flags(FlagsRequest(args.input, out, rule_options(args)))
    print("\n".join(filter(None, (result.report(), kept_note(old)))))
    return 0
