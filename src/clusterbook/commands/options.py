"""Options several subcommands share, described once."""

from __future__ import annotations

import argparse
from typing import Any


def benchmark_choice(text: str) -> str | float:
    """'mean', 'weighted' or a fixed percent, as typed after --benchmark."""
    if text.casefold() in ("mean", "weighted"):
        return text.casefold()
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a percent, 'mean' or 'weighted', not '{text}'") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be a percent from 0 to 100, not {text}")
    return value


def percent(text: str) -> float:
    """A percent from 0 to 100, as typed on the command line ('10' or '10%')."""
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percent") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} is not a percent from 0 to 100")
    return value


def positive_int(text: str) -> int:
    """A whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be 1 or more")
    return value


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """The framework's parameters: N rounds, refusal threshold, exit benchmark, benchmark."""
    group = parser.add_argument_group("rules (defaults from the framework)")
    group.add_argument("--rounds", type=positive_int, default=3, metavar="N",
                       help="consecutive rounds needed to enter or leave the list (default 3)")
    group.add_argument("--refusal-threshold", type=percent, default=10.0, metavar="P",
                       help="refusal is high above this percent (default 10)")
    group.add_argument("--exit-benchmark", type=percent, default=95.0, metavar="P",
                       help="coverage is good above this percent (default 95)")
    group.add_argument("--benchmark", type=benchmark_choice, default="mean",
                       metavar="NUMBER|mean|weighted",
                       help="each round's benchmark: the regional mean (default), the mean "
                            "weighted by children surveyed, or one fixed percent")


def rule_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``classify_clusters`` from parsed options."""
    return {"rounds": args.rounds, "refusal_threshold": args.refusal_threshold,
            "exit_benchmark": args.exit_benchmark, "benchmark": args.benchmark}
