"""Reading the files of a merge: submissions through the validator's reader and checks, review
books through their own reader; every file becomes one or more :class:`Source` objects.

A file that cannot be read becomes a source with its one finding, and the merge goes on.
Hundreds of files are read on several cores (see ``clusterbook.workers``).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clusterbook.consolidate.review_book import (
    ReviewBookContent,
    read_mark,
    review_book_content,
)
from clusterbook.domain.checks import CheckContext, file_finding
from clusterbook.domain.consolidation import Source, entries_from_documents
from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.excel.forms_check import check_submissions
from clusterbook.excel.forms_reader import Submission, submission_from_book
from clusterbook.excel.intake import Intake, check, guarded, open_intake
from clusterbook.workers import chunked, run_chunks, worker_count

#: Below this many files the reading stays in this process (starting workers costs more).
MIN_FILES_FOR_WORKERS = 120
#: Chunks per worker: smaller chunks report progress more often, larger ones check faster.
CHUNKS_PER_WORKER = 6


@dataclass(frozen=True)
class ToRead:
    """A file to read: as the intake found it (bytes read once), its path relative to the
    folder, and when it was received (UTC, ISO)."""

    intake: Intake
    relative: str
    received: str

    @property
    def path(self) -> Path:
        return self.intake.path

    @property
    def name(self) -> str:
        return self.intake.name


def read_sources(items: Sequence[ToRead], context: CheckContext, *,
                 progress: Callable[[int, int, str], None] | None = None,
                 workers: int | None = None) -> list[list[Source]]:
    """The sources of each file, in order: one for a submission (or an unreadable file), one
    per file it carries for a review book."""
    if not items:
        return []
    count = worker_count(len(items), minimum_items=MIN_FILES_FOR_WORKERS, requested=workers)
    chunks = chunked(items, count * CHUNKS_PER_WORKER if count else 1 + len(items) // 50)
    done = 0

    def finished(index: int, result: list[list[Source]]) -> None:
        nonlocal done
        _let_go(chunks[index])  # read in a worker: this process's copy of the bytes
        _give_back()
        done += len(result)
        if progress is not None:
            progress(done, len(items), f"Read {done:,} of {len(items):,} files")

    if progress is not None:
        progress(0, len(items), f"Reading {len(items):,} files")
    results = run_chunks(read_chunk, chunks, workers=count, arguments=(context,),
                         done=finished)
    return [sources for chunk in results for sources in chunk]


def read_chunk(items: Sequence[ToRead], context: CheckContext) -> list[list[Source]]:
    """Read and check a chunk of files together (the checks run much faster over many forms
    at once)."""
    results: list[list[Source]] = [[] for _ in items]
    submissions: list[tuple[int, Submission]] = []
    for index, item in enumerate(items):
        read = read_one(item.intake)
        _let_go([item])
        if isinstance(read, WorkbookError):
            results[index] = [_unreadable(item, read)]
        elif isinstance(read, ReviewBookContent):
            results[index] = read.sources
        elif read.form.cluster_field is None:
            error = WorkbookError(item.name, f"this is a {read.form.title} workbook, not "
                                             f"a district submission; it is not merged",
                                  kind=ErrorKind.NOT_TEMPLATE)
            results[index] = [_source(item, read, findings=[file_finding(error)])]
        else:
            submissions.append((index, read))
    check_submissions([submission for _, submission in submissions], context)
    for index, submission in submissions:
        results[index] = [_source(items[index], submission)]
    return results


def _let_go(items: Sequence[ToRead]) -> None:
    """Let the bytes of files already read go as the merge goes, not at its end: a national
    folder's files hold hundreds of MB."""
    for item in items:
        item.intake.data = None


def _trimmer() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where the C library has it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # another C library (musl)
        return None


_TRIM = _trimmer()


def _give_back() -> None:
    """Hand the memory of the bytes let go back to the system: glibc keeps freed blocks of a
    few dozen KB in its heap, where Python's small objects (the sources read) never go, so
    without this the bytes of every file would still count at the end of the reading."""
    if _TRIM is not None:
        _TRIM(0)


def read_one(intake: Intake) -> Submission | ReviewBookContent | WorkbookError:
    """One file, checked and opened once: the forms it holds, what it carries when it is a
    review book, or why it cannot be read (any failure inside reading is the file's own)."""
    check(intake)
    try:
        with guarded(intake.name):
            book = open_intake(intake)
            try:
                info = read_mark(book, intake.name)
                if info is not None:
                    return review_book_content(book, info, intake.name)
                return submission_from_book(book, intake)
            finally:
                book.close()
    except WorkbookError as error:
        return error


def _source(item: ToRead, submission: Submission, *, findings: list | None = None) -> Source:
    entries = entries_from_documents(submission.documents)
    for entry in entries:
        entry.file, entry.fingerprint, entry.received = (item.name, submission.sha256,
                                                         item.received)
    return Source(item.name, item.relative, submission.sha256, submission.size, item.received,
                  submission.form.form_id, submission.version, entries,
                  submission.findings if findings is None else findings)


def _unreadable(item: ToRead, error: WorkbookError) -> Source:
    """A file that is not a readable form: its one finding."""
    error.file = item.name
    return Source(item.name, item.relative, item.intake.fingerprint, item.intake.size,
                  item.received, findings=[file_finding(error)])
