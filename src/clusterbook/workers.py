"""Running chunks of file work on several processor cores.

Reading or writing hundreds of workbooks is Python work that one core does at a time; worker
processes share it out. Results come back in the order of the chunks. When processes cannot
be started (a locked-down machine, a frozen app without multiprocessing support) the chunks
run here, one after the other: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Environment variable that caps the number of worker processes (1: no workers at all).
WORKERS_VARIABLE = "CLUSTERBOOK_WORKERS"


def worker_count(items: int, *, minimum_items: int, requested: int | None = None) -> int:
    """How many worker processes a job of ``items`` files should use: none (0) for a small
    job, else one per idle core (at most 4). On a machine whose cores are busy with other
    work, more processes only share the same time, and starting them costs more."""
    if requested is not None:
        return max(requested, 0) if requested != 1 else 0
    capped = os.environ.get(WORKERS_VARIABLE, "").strip()
    cores = os.cpu_count() or 1
    limit = int(capped) if capped.isdigit() else min(cores, 4)
    if not capped.isdigit() and hasattr(os, "getloadavg"):
        # The load counts runnable processes; this one is about to be one of them.
        idle = cores - os.getloadavg()[0]
        limit = min(limit, max(1, round(idle + 1)))
    if limit <= 1 or items < minimum_items:
        return 0
    return limit


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (Linux, no other threads: quick, nothing to import again);
    otherwise a fresh interpreter per worker."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and \
            threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def run_chunks(function: Callable[..., R], chunks: Sequence[T], *, workers: int,
               arguments: tuple[Any, ...] = (),
               done: Callable[[int, R], None] | None = None) -> list[R]:
    """``function(chunk, *arguments)`` for every chunk, on ``workers`` processes (0: here),
    results in chunk order. ``done(index, result)`` hears each chunk as it finishes and may
    raise to stop the job: chunks not started are cancelled and the error goes up."""
    results: dict[int, R] = {}
    if workers > 0 and len(chunks) > 1:
        # When the pool cannot run, whatever is left runs here.
        with contextlib.suppress(BrokenProcessPool, OSError, NotImplementedError):
            _run_pool(function, chunks, workers, arguments, results, done)
    for index, chunk in enumerate(chunks):
        if index not in results:
            result = function(chunk, *arguments)
            results[index] = result
            if done is not None:
                done(index, result)
    return [results[index] for index in range(len(chunks))]


def _run_pool(function: Callable[..., R], chunks: Sequence[T], workers: int,
              arguments: tuple[Any, ...], results: dict[int, R],
              done: Callable[[int, R], None] | None) -> None:
    executor = ProcessPoolExecutor(max_workers=min(workers, len(chunks)),
                                   mp_context=_start_method())
    try:
        pending: dict[Future[R], int] = {executor.submit(function, chunk, *arguments): index
                                         for index, chunk in enumerate(chunks)}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                results[index] = future.result()
                if done is not None:
                    done(index, results[index])
    except BaseException:
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def chunked(items: Sequence[T], count: int) -> list[list[T]]:
    """``items`` in about ``count`` chunks of neighbouring items."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            chunks.append(list(items[start:end]))
        start = end
    return chunks
