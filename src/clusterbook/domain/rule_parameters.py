"""What the low-performing rule can be asked, in one place: its parameters with the
framework's defaults, the range of a percent, the benchmark choices and the statuses with
their labels.

The engine, the command line, the worksheet functions, the launcher and the data book read
them from here; texts that state a default are built from these values.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Final, Literal

from clusterbook.domain.errors import InputError


@dataclass(frozen=True)
class PercentRange:
    """The percents the rule reads and its parameters take: both ends included."""

    low: float = 0
    high: float = 100

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high  # NaN is in no range

    def __str__(self) -> str:
        """'0 to 100', as the messages say it."""
        return f"{self.low:g} to {self.high:g}"


#: The range of every percent: PCA coverage, refusal rate, thresholds and benchmarks.
PERCENTS: Final = PercentRange()
#: The fewest consecutive rounds the rule can ask for.
FEWEST_ROUNDS: Final = 1


@dataclass(frozen=True)
class RuleParameters:
    """The framework's parameters: N consecutive rounds, refusal threshold, exit benchmark.

    The field defaults are the framework's (``low-performing-clusters.md``).
    """

    rounds: int = 3
    refusal_threshold: float = 10.0
    exit_benchmark: float = 95.0

    def __post_init__(self) -> None:
        if (isinstance(self.rounds, bool) or int(self.rounds) != self.rounds
                or self.rounds < FEWEST_ROUNDS):
            raise InputError(f"the number of rounds must be a whole number of {FEWEST_ROUNDS} "
                             f"or more, not {self.rounds!r}")
        object.__setattr__(self, "rounds", int(self.rounds))
        for name in ("refusal_threshold", "exit_benchmark"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or math.isnan(value) or value not in PERCENTS:
                raise InputError(f"the {name.replace('_', ' ')} must be a percent from "
                                 f"{PERCENTS}, not {value!r}")


#: The framework's parameters, for defaults and for texts that state them.
DEFAULT_PARAMETERS: Final = RuleParameters()


class BenchmarkMethod(StrEnum):
    """How each round's benchmark is computed when no fixed percent is given."""

    MEAN = "mean"  # the regional mean of PCA coverage (the default)
    WEIGHTED = "weighted"  # the regional mean weighted by children surveyed


#: A benchmark as a user chooses it: a method (None means the mean), one fixed percent for
#: every round, or {round label: percent} (other rounds keep the regional mean).
BenchmarkChoice = (BenchmarkMethod | Literal["mean", "weighted"] | float
                   | Mapping[Hashable, float] | None)
DEFAULT_BENCHMARK: Final = BenchmarkMethod.MEAN
#: Fixed benchmarks offered beside the methods: the global PCA benchmark (the exit
#: benchmark's default) and the benchmark of the framework's worked example.
FIXED_BENCHMARKS: Final = (DEFAULT_PARAMETERS.exit_benchmark, 90.0)
#: The choices a form offers, in order: the methods, then the fixed percents.
BENCHMARK_CHOICES: Final[tuple[BenchmarkMethod | float, ...]] = (*BenchmarkMethod,
                                                                  *FIXED_BENCHMARKS)


def benchmark_method(choice: object) -> BenchmarkMethod | None:
    """The method a choice names, in any case ('mean', 'Weighted'; None is the mean), or None
    when the choice names no method (a number, a mapping, other text)."""
    if choice is None:
        return DEFAULT_BENCHMARK
    if isinstance(choice, str) and choice.casefold() in set(BenchmarkMethod):
        return BenchmarkMethod(choice.casefold())
    return None


#: The methods as a user types them, quoted for messages: "'mean'", "'weighted'".
QUOTED_METHODS: Final = tuple(f"'{method}'" for method in BenchmarkMethod)


class Status(IntEnum):
    """A cluster's status in a round; the codes order them from least to most concern."""

    NO_DATA = 0
    ON_TRACK = 1
    WATCH = 2
    LOW_PERFORMING = 3

    @property
    def label(self) -> str:
        """The status as officers read it: 'Low performing'."""
        return STATUS_LABELS[self]


#: Status texts, indexed by the status codes.
STATUS_LABELS: Final = ("No data", "On track", "Watch", "Low performing")
