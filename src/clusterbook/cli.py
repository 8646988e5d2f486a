"""The `clusterbook` command: one command, a subcommand per job.

Each subcommand lives in ``clusterbook.commands.<name>`` and imports its heavy modules only
when it runs, so ``clusterbook --help`` answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import os
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
#: What a shell expects of a program whose reader went away (128 + SIGPIPE).
EXIT_READER_GONE = 141
EXIT_CODES = ("Exit codes: 0 done; 1 findings in the data (the output is written, with them), "
              "or data refused; 2 the command was not used correctly (nothing was written); 3 "
              "a fault inside ClusterBook (run again with --debug and report it). Messages "
              "start with 'clusterbook JOB:'.")
#: Said under every job that writes files.
OUTPUT_RULES = ("Files written: never over one of the job's inputs, nor over a form people fill "
                "in (refused, exit 2); a file replaced is kept first as 'NAME (old).EXT'. A "
                "file is asked for as a file, a folder as a folder.")


class _Paragraphs(argparse.HelpFormatter):
    """Wraps descriptions and epilogs as argparse does, keeping their paragraphs apart."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(super(_Paragraphs, self)._fill_text(part, width, indent)
                           for part in text.split("\n\n"))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="clusterbook",
        description="Live Excel workbooks for low-performing polio clusters, microplans, "
                    "district submissions and CCPM self-assessments.",
        epilog="Run 'clusterbook demo' to see every job on the built-in sample region.\n\n"
               + EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"clusterbook {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full technical details when something goes wrong")
    subparsers = parser.add_subparsers(title="jobs", metavar="JOB", required=True)
    for name in COMMANDS:
        importlib.import_module(f"clusterbook.commands.{name}").add_parser(subparsers)
    _name_jobs(parser)
    return parser


def _name_jobs(parser: argparse.ArgumentParser) -> None:
    """Give every job's parser its name ('clusterbook ccpm report'), the prefix of its
    messages, as argparse's own usage errors have."""
    parser.set_defaults(prog=parser.prog)
    parser.formatter_class = _Paragraphs
    jobs = [action for action in parser._actions
            if isinstance(action, argparse._SubParsersAction)]
    for action in jobs:
        for job in action.choices.values():
            _name_jobs(job)
    if not jobs and parser.prog != "clusterbook":
        writes = any(option in ("--out", "--screenshot")
                     for action in parser._actions for option in action.option_strings)
        parser.epilog = "\n\n".join(part for part in (
            parser.epilog, OUTPUT_RULES if writes else "",
            EXIT_CODES.replace("clusterbook JOB", parser.prog)) if part)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 done, 1 findings or refused data,
    2 usage, 3 a fault inside ClusterBook)."""
    from clusterbook.outputs import UsageError

    parser = build_parser()
    args = parser.parse_args(argv)
    prefix = f"{args.prog}:"
    try:
        code = args.run(args)
        # Flushed here, not at exit, so that a reader gone away is answered below.
        sys.stdout.flush()
    except BrokenPipeError:
        # `clusterbook validate folder | head`: the reader has what it wanted; say nothing.
        _quiet_stdout()
        return EXIT_READER_GONE
    except UsageError as error:
        print(f"{prefix} {error}", file=sys.stderr)
        return EXIT_USAGE
    except ClusterBookError as error:
        print(f"{prefix} {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print(f"{prefix} stopped.", file=sys.stderr)
        return 130
    except OSError as error:
        if args.debug:
            traceback.print_exc()
        where = f"'{error.filename}': " if error.filename else ""
        print(f"{prefix} {where}{error.strerror or error} (nothing more was written)",
              file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        print(f"{prefix} something went wrong inside ClusterBook ({type(error).__name__}: "
              f"{error}). Run again with --debug for details and report it.", file=sys.stderr)
        return EXIT_BUG
    return EXIT_OK if code is None else int(code)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so Python's own flush at exit does not
    report the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
