"""Reading the files of a merge: submissions through the validator's reader and checks, review
books through their own reader; every file becomes one or more :class:`Source` objects.

A file that cannot be read becomes a source with its one finding, and the merge goes on.
Hundreds of files are read on several cores (see ``clusterbook.workers``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clusterbook.domain.checks import CheckContext, file_finding
from clusterbook.domain.consolidation import Source, entries_from_documents
from clusterbook.domain.errors import WorkbookError
from clusterbook.excel.forms_reader import Submission, read_submission
from clusterbook.workers import chunked, run_chunks, worker_count

#: Below this many files the reading stays in this process (starting workers costs more).
MIN_FILES_FOR_WORKERS = 120
#: Chunks per worker: smaller chunks report progress more often, larger ones check faster.
CHUNKS_PER_WORKER = 6


@dataclass(frozen=True)
class ToRead:
    """A file to read: where it is, the name it goes by, its path relative to the folder, and
    when it was received (UTC, ISO)."""

    path: Path
    name: str
    relative: str
    received: str


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

    def finished(_: int, result: list[list[Source]]) -> None:
        nonlocal done
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
    from clusterbook.validation import check_submissions

    results: list[list[Source]] = [[] for _ in items]
    submissions: list[tuple[int, Submission]] = []
    for index, item in enumerate(items):
        try:
            submission = read_submission(item.path, name=item.name)
        except WorkbookError as error:
            results[index] = _unreadable(item, error)
            continue
        if submission.form.cluster_field is None:
            error = WorkbookError(item.name, f"this is a {submission.form.title} workbook, not "
                                             f"a district submission; it is not merged",
                                  kind="not-template")
            results[index] = [_source(item, submission, findings=[file_finding(error)])]
            continue
        submissions.append((index, submission))
    check_submissions([submission for _, submission in submissions], context)
    for index, submission in submissions:
        results[index] = [_source(items[index], submission)]
    return results


def _source(item: ToRead, submission: Submission, *, findings: list | None = None) -> Source:
    entries = entries_from_documents(submission.documents)
    for entry in entries:
        entry.file, entry.fingerprint, entry.received = (item.name, submission.sha256,
                                                         item.received)
    return Source(item.name, item.relative, submission.sha256, submission.size, item.received,
                  submission.form.form_id, submission.version, entries,
                  submission.findings if findings is None else findings)


def _unreadable(item: ToRead, error: WorkbookError) -> list[Source]:
    """A file that is not a readable form: a review book (read as such), or one finding."""
    from clusterbook.consolidate.review_book import is_review_book, read_review_book

    if error.kind == "not-template" and is_review_book(item.path):
        try:
            return read_review_book(item.path, name=item.name).sources
        except WorkbookError as book_error:
            error = book_error
    error.file = item.name
    fingerprint, size = _fingerprint(item.path)
    return [Source(item.name, item.relative, fingerprint, size, item.received,
                   findings=[file_finding(error)])]


def _fingerprint(path: Path) -> tuple[str, int]:
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return "", 0
    return hashlib.sha256(data).hexdigest(), len(data)
