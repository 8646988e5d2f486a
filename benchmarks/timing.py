"""How the benchmarks time a job: several runs, best and median, in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timings(function: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """The result and the best and median time of ``repeat`` runs, in milliseconds."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return result, min(seconds) * 1000, statistics.median(seconds) * 1000
