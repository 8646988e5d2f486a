"""The merge job: a folder of submissions in, the review book and its ledger out.

:func:`merge_folder` is what the CLI, the launcher, the Excel button and the demo call. It
never stops on a bad file, never modifies an input, writes the book atomically (keeping a dated
backup of the previous one), and records the merge in the ledger only once the book is in
place. A re-run reads only new or changed files; with nothing changed it writes nothing at
all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import glob
import hashlib
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from xlsxwriter.exceptions import FileCreateError

from clusterbook.consolidate.layout import BACKUPS_FOLDER
from clusterbook.consolidate.ledger import FileRecord, Ledger, LedgerState, ledger_path
from clusterbook.consolidate.reading import ToRead, read_sources
from clusterbook.consolidate.review_book import (
    BookInfo,
    read_mark,
    read_review_book,
    write_review_book,
)
from clusterbook.domain.checks import CheckContext
from clusterbook.domain.clusterlist import ClusterList
from clusterbook.domain.consolidation import REVIEW_BOOK_ID, Review, Source, consolidate
from clusterbook.domain.errors import InputError, WorkbookError
from clusterbook.domain.levels import Level, level_of
from clusterbook.domain.outcomes import MergeOutcome, Outcome, printable
from clusterbook.excel.file_search import CHECKED_MARK, collect_paths, display_names
from clusterbook.excel.intake import Intake, found
from clusterbook.excel.read import open_workbook
from clusterbook.excel.write import atomic_path, ensure_writable
from clusterbook.jobs.progress import Progress, unheard

#: How many dated backups of a review book are kept.
KEEP_BACKUPS: Final = 10
#: 'writing:SECONDS' makes a merge pause while it writes the book, 'recording:SECONDS' once
#: the book is in place and before the ledger commits (for tests that kill the process there).
PAUSE_VARIABLE: Final = "CLUSTERBOOK_PAUSE_AT"


@dataclass
class MergeResult:
    """What a merge did."""

    out: Path
    ledger: Path
    #: Files merged (read now or unchanged since the last merge); skipped files not counted.
    files: int
    read: int = 0
    reused: int = 0
    removed: int = 0
    up_to_date: bool = False
    #: Files the folder held that are not merged: checked copies, files that are not
    #: workbooks.
    skipped: int = 0
    backup: Path | None = None
    #: The merged review (when the book was up to date, the one it holds, if asked for).
    review: Review | None = None
    seconds: float = 0.0
    sources: list[Source] = field(default_factory=list)
    #: Seconds spent in each step: looking at the files, reading, merging, writing.
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """The errors in the merged files: those of the review, or as the ledger recorded them
        when the book was up to date and its review was not read."""
        if self.review is not None:
            return sum(source.errors for source in self.review.sources)
        return sum(record.errors for record in Ledger(self.ledger).load().files.values())

    def summary(self) -> str:
        """A few lines an officer reads after the merge."""
        if self.up_to_date:
            return (f"{self.out.name} is up to date: none of the {self.files:,} files changed "
                    f"since the last merge (nothing was written){self._skipped()}.")
        review = self.review
        assert review is not None
        lines = [f"Merged {self.files:,} files into {self.out} "
                 f"({self.read:,} read, {self.reused:,} unchanged"
                 + (f", {self.removed:,} gone since the last merge" if self.removed else "")
                 + f") in {self.seconds:.1f} s{self._skipped()}."]
        totals = review.provinces.iloc[-1] if len(review.provinces) else None
        plans = sum(1 for entry in review.current if entry.form_id != "cesm-microplan")
        microplans = len(review.current) - plans
        unreadable = sum(1 for item in review.files if item.unreadable)
        errors = sum(source.errors for source in review.sources)
        text = f"{microplans:,} current microplans"
        if totals is not None and review.clusters is not None:
            text += (f" for {int(totals['expected']):,} clusters expected "
                     f"({int(totals['valid']):,} valid, {int(totals['with_errors']):,} with "
                     f"errors, {int(totals['not_received']):,} not received)")
        lines.append(text + f"; action plans for {plans:,} clusters.")
        lines.append(f"{len(review.replaced):,} superseded or identical, {unreadable:,} not "
                     f"readable, {errors:,} errors in all (see the Issues sheet).")
        if self.backup is not None:
            lines.append(f"The previous book is kept as {self.backup}.")
        return "\n".join(lines)

    def _skipped(self) -> str:
        return (f"; {self.skipped:,} other files skipped (checked copies, files that are not "
                f"workbooks)" if self.skipped else "")


@dataclass(frozen=True)
class _Seen:
    """A file found in the folder."""

    path: Path
    name: str
    relative: str
    size: int
    modified: float
    fingerprint: str
    skipped: bool = False
    intake: Intake | None = field(default=None, compare=False, repr=False)


@contextlib.contextmanager
def _long_lived() -> Iterator[None]:
    """A merge keeps a few hundred thousand small objects (rows, values) alive until the book
    is written; Python's collector would walk them all again and again. What has survived is
    frozen out of its way (at :func:`_settle`) and given back at the end."""
    try:
        yield
    finally:
        gc.unfreeze()


def _settle() -> None:
    gc.freeze()


@dataclass(frozen=True)
class MergeRequest:
    """Merge every submission in ``folder`` (searched recursively) into the review book
    ``out``, carrying its reviewers' feedback over."""

    folder: Path
    out: Path
    #: The cluster list: a file (the campaign data book, the flags book, round data or a
    #: plain list), or one read already.
    clusters: Path | ClusterList | None = None
    #: Whose review book it is (``Level`` or its value, 'region' or 'province').
    level: str = Level.REGION
    #: Caps the processes that read files (None: one per core for large folders).
    workers: int | None = None
    notice: str = ""
    #: When nothing changed since the last merge, read the review the book holds (for showing
    #: it); without, the result only counts (from the ledger), which takes no time.
    review_when_up_to_date: bool = True


def merge_folder(request: MergeRequest, progress: Progress | None = None) -> MergeResult:
    """Merge the folder into the review book. ``progress`` hears ``(done, total, message)``
    and may raise :class:`~clusterbook.jobs.progress.Cancelled`: then nothing is written and
    the book and ledger stay as they were. When nothing changed since the last merge, nothing
    is written and the result holds the review the book already has (when the request asks
    for it)."""
    folder, out = Path(request.folder), Path(request.out)
    with _long_lived():
        try:
            return _merge(folder, out, request, progress or unheard)
        except (OSError, FileCreateError) as error:
            # A full disk, a folder that cannot be written: the book and the ledger are as
            # they were (the book is written beside and moved into place only when complete).
            cause = error.__context__ if isinstance(error, FileCreateError) else error
            reason = getattr(cause, "strerror", None) or str(cause or error)
            raise WorkbookError(out.name, f"the review book could not be written "
                                          f"({reason}); nothing was changed: the previous "
                                          f"book and its ledger are as they were. Free "
                                          f"some space or choose a folder you can write "
                                          f"to, then merge again") from None


def forget_review_book(book: Path) -> None:
    """Remove a review book with its ledger and backups, so that the next merge into it starts
    afresh (the demo's own book, never one a reviewer worked in)."""
    import shutil

    for path in (book, ledger_path(book)):
        path.unlink(missing_ok=True)
    shutil.rmtree(book.parent / BACKUPS_FOLDER, ignore_errors=True)


def _merge(folder: Path, out: Path, request: MergeRequest, progress: Progress) -> MergeResult:
    level, workers, notice = request.level, request.workers, request.notice
    started = time.perf_counter()
    steps: dict[str, float] = {}
    clock = [started]

    def step(name: str) -> None:
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - clock[0]
        clock[0] = now

    def report(done: int, total: int, message: str) -> None:
        _settle()
        progress(done, total, message)

    level_of(level)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"{out.name}: the review book must be an .xlsx file")
    if not folder.is_dir():
        raise InputError(f"'{folder}' is not a folder")
    ensure_writable(out)
    cluster_list = _cluster_list(request.clusters)
    context_key = _context_key(cluster_list)
    seen = _scan(folder, out)
    report(0, len(seen), f"Found {len(seen):,} files in {folder}")
    ledger = Ledger(ledger_path(out))
    state = ledger.load()
    previous = _previous_book(out)
    files = [item for item in seen if not item.skipped]
    signature = {item.relative: item.fingerprint for item in seen}
    if previous is not None and _up_to_date(state, previous, signature, context_key, level,
                                           folder):
        # Nothing changed, so nothing is written: the review is the one the book holds.
        review = None
        if request.review_when_up_to_date:
            report(len(files), len(files), f"Reading {out.name}")
            content = read_review_book(out)
            review = consolidate(content.sources, clusters=cluster_list, notes=content.notes,
                                 level=content.info.level)
        return MergeResult(out, ledger.path, len(files), reused=len(files), up_to_date=True,
                           skipped=len(seen) - len(files), review=review,
                           seconds=time.perf_counter() - started)
    notes = read_review_book(out, sources=False).notes if previous is not None else []
    step("look")

    received = {item.relative: _received(item, state) for item in seen}
    cached_keys = [(item.fingerprint, context_key) for item in files
                   if (item.fingerprint, context_key) in state.cached]
    reused = ledger.contents(cached_keys) if cached_keys else {}
    to_read = [ToRead(item.intake, item.relative, received[item.relative])
               for item in files if item.fingerprint not in reused and item.intake is not None]
    check_context = CheckContext(clusters=cluster_list)
    read = read_sources(to_read, check_context, progress=report, workers=workers)
    read_by_path = {item.relative: sources for item, sources in zip(to_read, read, strict=True)}
    for item in seen:  # the bytes are read; only the sources are kept from here
        if item.intake is not None:
            item.intake.data = None
    step("read")

    sources: list[Source] = []
    per_file: dict[str, list[Source]] = {}
    for item in seen:
        if item.skipped:
            of_file = [Source(item.name, item.relative, item.fingerprint, item.size,
                            received[item.relative],
                            carried_outcome=_skipped(item), carried_kind=Outcome.NOT_A_FORM,
                            carried_code=MergeOutcome.SKIPPED)]
        elif item.relative in read_by_path:
            of_file = read_by_path[item.relative]
        else:
            of_file = _restored(reused[item.fingerprint], item, received[item.relative])
        per_file[item.relative] = of_file
        sources.extend(of_file)
    review = consolidate(sources, clusters=cluster_list, notes=notes, level=level)
    report(len(to_read), len(to_read), f"Writing {out.name}")
    step("merge")

    merge_id = uuid.uuid4().hex
    written = _utc_now()
    info = BookInfo(level=level, merge=merge_id, written=written,
                    clusters=cluster_list.source if cluster_list is not None else "",
                    folder=str(folder.resolve()))
    outcomes = {id(item.source): item.outcome for item in review.files}
    records = [_record(item, per_file[item.relative], outcomes, received[item.relative],
                       written) for item in seen]
    removed = len(set(state.files) - set(signature))
    backup = None
    out.parent.mkdir(parents=True, exist_ok=True)
    with ledger.recording(state) as recorder:
        recorder.files(records)
        recorder.contents(context_key, {item.fingerprint: per_file[item.relative]
                                        for item in files if item.relative in read_by_path},
                          keep=[item.fingerprint for item in files])
        recorder.meta({"merge": merge_id, "context": context_key, "level": level,
                       "folder": str(folder.resolve()), "written": written})
        recorder.merge(merge_id, written, level, len(seen), len(to_read), removed)
        _remove_stale_parts(out)
        with atomic_path(out) as temporary:
            write_review_book(review, temporary, info=info, notice=notice,
                              pause=_pause_hook(out, "writing"))
            backup = _backup(out)
        pause = _pause_hook(out, "recording")
        if pause is not None:
            pause()
    step("write")
    return MergeResult(out, ledger.path, len(files), read=len(to_read),
                       reused=len(files) - len(to_read), removed=removed, backup=backup,
                       skipped=len(seen) - len(files),
                       review=review, seconds=time.perf_counter() - started, sources=sources,
                       steps=steps)


# --- the steps ------------------------------------------------------------------------------------

def _cluster_list(clusters: Path | ClusterList | None) -> ClusterList | None:
    if clusters is None or isinstance(clusters, ClusterList):
        return clusters
    from clusterbook.excel.cluster_list import load_cluster_list

    return load_cluster_list(clusters)


def _context_key(clusters: ClusterList | None) -> str:
    """What the checks depend on besides the file: the cluster list's content."""
    digest = hashlib.sha256(b"clusters:")
    if clusters is not None:
        digest.update(str(clusters.knows_status).encode())
        for info in sorted(clusters.clusters.values(), key=lambda info: info.code):
            digest.update("\x1f".join((info.code, info.province, info.district, info.name,
                                       str(info.low_performing))).encode() + b"\x1e")
    return digest.hexdigest()[:32]


def _scan(folder: Path, out: Path) -> list[_Seen]:
    """Every file of the folder except the review book itself, its ledger and backups; each
    with its fingerprint (the bytes are read, never changed)."""
    paths, skipped = collect_paths([folder])
    own = {out.resolve(), ledger_path(out).resolve()}
    backups = (out.parent / BACKUPS_FOLDER).resolve()

    def ours(path: Path) -> bool:
        # realpath, unlike resolve(), does not fail on a link to itself
        resolved = Path(os.path.realpath(path))
        return resolved in own or resolved.is_relative_to(backups)

    paths = [path for path in paths if not ours(path)]
    skipped = [path for path in skipped if not ours(path)]
    names = display_names([*paths, *skipped])
    seen = []
    for path, is_skipped in [*((p, False) for p in paths), *((p, True) for p in skipped)]:
        # Found and fingerprinted once: the bytes read here are the ones checked and read.
        intake = found(path, names[path])
        seen.append(_Seen(path, intake.name, printable(path.relative_to(folder).as_posix()),
                          intake.size, intake.modified, intake.fingerprint, is_skipped,
                          None if is_skipped else intake))
    return seen


def _skipped(item: _Seen) -> str:
    if item.path.stem.endswith(CHECKED_MARK):
        return "Skipped: a checked copy ClusterBook wrote (the original is read)"
    return "Skipped: not a workbook"


def _previous_book(out: Path) -> BookInfo | None:
    """The mark of the review book already at ``out`` (None when there is none). Anything else
    at that path is left alone: its work would be lost."""
    if not out.exists():
        return None
    try:
        book = open_workbook(out)
    except WorkbookError as error:
        raise WorkbookError(out.name, f"the review book cannot be read ({error.reason}); the "
                                      f"reviewers' work in it would be lost, so nothing was "
                                      f"written. Restore it from the '{BACKUPS_FOLDER}' folder "
                                      f"or move it away, then run again") from None
    try:
        info = read_mark(book, out.name)
    finally:
        book.close()
    if info is None:  # --out names the wrong file: a usage error, as the output rules say
        from clusterbook.outputs import UsageError

        raise UsageError(f"'{out}' is not a ClusterBook review book ({REVIEW_BOOK_ID}); it "
                         f"was left as it is (nothing was written). Give the review book's "
                         f"name, or a new file name")
    return info


def _up_to_date(state: LedgerState, previous: BookInfo, signature: dict[str, str],
                context: str, level: str, folder: Path) -> bool:
    """True when the book is the one the ledger recorded and no file changed since."""
    meta = state.meta
    return (not state.damaged and previous.merge != "" and meta.get("merge") == previous.merge
            and meta.get("context") == context and meta.get("level") == level
            and meta.get("folder") == str(folder.resolve())
            and {path: record.fingerprint for path, record in state.files.items()} == signature)


def _utc(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _received(item: _Seen, state: LedgerState) -> str:
    """When a file was received: its modification time when first seen, kept while it is
    unchanged."""
    record = state.files.get(item.relative)
    if record is not None and record.fingerprint == item.fingerprint and record.received:
        return record.received
    return _utc(item.modified)


def _restored(cached: list[Source], item: _Seen, received: str) -> list[Source]:
    """Sources read earlier from a file with the same content, under this file's name."""
    if len(cached) == 1 and not cached[0].via:
        source = cached[0].renamed(item.name, item.relative)
        source.received = received
        for entry in source.entries:
            entry.received = received
        return [source]
    for source in cached:  # a review book: its files keep their names, it is the carrier
        source.via = item.name
    return cached


def _record(item: _Seen, sources: Sequence[Source], outcomes: dict[int, str], received: str,
            written: str) -> FileRecord:
    if item.skipped:
        outcome = _skipped(item)
        template = version = clusters = ""
        errors = warnings = 0
    elif len(sources) == 1 and not sources[0].via:
        source = sources[0]
        outcome = outcomes.get(id(source), "")
        template, version = source.form_id, source.version
        clusters = ", ".join(source.clusters)
        errors, warnings = source.errors, source.warnings
    else:
        outcome = f"Review book: {len(sources):,} files"
        template, version, clusters = REVIEW_BOOK_ID, "", ""
        errors = sum(source.errors for source in sources)
        warnings = sum(source.warnings for source in sources)
    return FileRecord(item.relative, item.fingerprint, item.size, item.modified, received,
                      template, version, clusters, errors, warnings, outcome, written)


def _backup(out: Path) -> Path | None:
    """Copy the book about to be replaced to 'backups/NAME.YYYY-MM-DDTHHMM.xlsx' (the time it
    was last saved) and keep the newest :data:`KEEP_BACKUPS`."""
    if not out.exists():
        return None
    folder = out.parent / BACKUPS_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.fromtimestamp(out.stat().st_mtime).strftime("%Y-%m-%dT%H%M")
    target = folder / f"{out.stem}.{stamp}{out.suffix}"
    serial = 2
    while target.exists():
        target = folder / f"{out.stem}.{stamp}-{serial}{out.suffix}"
        serial += 1
    with atomic_path(target) as temporary:
        shutil.copy2(out, temporary)
    kept = sorted(folder.glob(f"{glob.escape(out.stem)}.????-??-??T????*{out.suffix}"),
                  key=lambda path: path.stat().st_mtime)
    for old in kept[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def _pause_hook(out: Path, point: str) -> Callable[[], None] | None:
    place, _, seconds = os.environ.get(PAUSE_VARIABLE, "").partition(":")
    if place != point:
        return None

    def pause() -> None:
        print(f"clusterbook: {point} {out.name}, paused", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 60))

    return pause


def _remove_stale_parts(out: Path) -> None:
    """Remove temporary files a merge stopped in the middle of a write left beside the book
    (the ledger's lock is held, so no other merge into this book is writing)."""
    for part in out.parent.glob(f".*{glob.escape(out.stem)}.*.part"):
        part.unlink(missing_ok=True)


__all__ = ["MergeRequest", "MergeResult", "merge_folder"]
