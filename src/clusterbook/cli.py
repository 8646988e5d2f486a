"""The `clusterbook` command: one command, a subcommand per job.

Each subcommand lives in ``clusterbook.commands.<name>`` and imports its heavy modules only
when it runs, so ``clusterbook --help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from clusterbook import __version__
from clusterbook.domain.errors import ClusterBookError

#: Subcommand modules, in the order `--help` lists them.
COMMANDS = (
    "flags",
    "databook",
    "templates",
    "validate",
    "merge",
    "feedback",
    "ccpm",
    "excel",
    "launcher",
    "demo",
)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="clusterbook",
        description="Live Excel workbooks for low-performing polio clusters, microplans, "
                    "district submissions and CCPM self-assessments.",
        epilog="Run 'clusterbook demo' to see every job on the built-in sample region.",
    )
    parser.add_argument("--version", action="version", version=f"clusterbook {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full technical details when something goes wrong")
    subparsers = parser.add_subparsers(title="jobs", metavar="JOB", required=True)
    for name in COMMANDS:
        importlib.import_module(f"clusterbook.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 fine, 1 problems in the data,
    2 usage, 3 a fault inside ClusterBook)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.run(args)
    except ClusterBookError as error:
        print(f"clusterbook: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("clusterbook: stopped.", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        print(f"clusterbook: something went wrong inside ClusterBook ({type(error).__name__}: "
              f"{error}). Run again with --debug for details and report it.", file=sys.stderr)
        return EXIT_BUG
    return EXIT_OK if code is None else int(code)


if __name__ == "__main__":
    sys.exit(main())
