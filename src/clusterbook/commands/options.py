"""Options several subcommands share, described once."""

from __future__ import annotations

import argparse
from typing import Any

from clusterbook.domain.rule_parameters import (
    DEFAULT_BENCHMARK,
    DEFAULT_PARAMETERS,
    FEWEST_ROUNDS,
    PERCENTS,
    QUOTED_METHODS,
    BenchmarkMethod,
    benchmark_method,
)


def benchmark_choice(text: str) -> BenchmarkMethod | float:
    """'mean', 'weighted' or a fixed percent, as typed after --benchmark."""
    method = benchmark_method(text)
    if method is not None:
        return method
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a percent, {' or '.join(QUOTED_METHODS)}, not '{text}'") from None
    if value not in PERCENTS:
        raise argparse.ArgumentTypeError(f"must be a percent from {PERCENTS}, not {text}")
    return value


def percent(text: str) -> float:
    """A percent (0 to 100), as typed on the command line ('10' or '10%')."""
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percent") from None
    if value not in PERCENTS:
        raise argparse.ArgumentTypeError(f"{text} is not a percent from {PERCENTS}")
    return value


def positive_int(text: str) -> int:
    """A whole number of 1 or more (the fewest rounds the rule takes)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < FEWEST_ROUNDS:
        raise argparse.ArgumentTypeError(f"{text} must be {FEWEST_ROUNDS} or more")
    return value


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """The framework's parameters: N rounds, refusal threshold, exit benchmark, benchmark."""
    defaults = DEFAULT_PARAMETERS
    group = parser.add_argument_group("rules (defaults from the framework)")
    group.add_argument("--rounds", type=positive_int, default=defaults.rounds, metavar="N",
                       help=f"consecutive rounds needed to enter or leave the list "
                            f"(default {defaults.rounds})")
    group.add_argument("--refusal-threshold", type=percent, default=defaults.refusal_threshold,
                       metavar="P", help=f"refusal is high above this percent "
                                         f"(default {defaults.refusal_threshold:g})")
    group.add_argument("--exit-benchmark", type=percent, default=defaults.exit_benchmark,
                       metavar="P", help=f"coverage is good above this percent "
                                         f"(default {defaults.exit_benchmark:g})")
    group.add_argument("--benchmark", type=benchmark_choice, default=DEFAULT_BENCHMARK,
                       metavar="|".join(("NUMBER", *BenchmarkMethod)),
                       help="each round's benchmark: the regional mean (default), the mean "
                            "weighted by children surveyed, or one fixed percent")


def rule_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``classify_clusters`` from parsed options."""
    return {"rounds": args.rounds, "refusal_threshold": args.refusal_threshold,
            "exit_benchmark": args.exit_benchmark, "benchmark": args.benchmark}
