"""The ledger: an SQLite file next to the review book that records every file ingested.

For each file: path (relative to the folder merged), fingerprint (SHA-256), size, modification
time, received time, template and version, clusters, counts of errors and warnings, and what
became of it. It also keeps what was read from each file (its rows and findings, by fingerprint
and check context), so that a re-run reads only new or changed files.

The ledger is written in one transaction that commits only after the review book is in
place: when the book cannot be written, the ledger stays as it was and claims nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from clusterbook.domain.consolidation import Entry, Source, SourceRow
from clusterbook.domain.errors import WorkbookError
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.outcomes import MergeOutcome, Outcome, Replacement, code_of

SUFFIX: Final = ".ledger.sqlite"
SCHEMA_VERSION: Final = "1"
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, size INTEGER NOT NULL,
    modified REAL NOT NULL, received TEXT NOT NULL, template TEXT NOT NULL,
    version TEXT NOT NULL, clusters TEXT NOT NULL, errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL, outcome TEXT NOT NULL, merged TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contents (
    fingerprint TEXT NOT NULL, context TEXT NOT NULL, payload BLOB NOT NULL,
    PRIMARY KEY (fingerprint, context));
CREATE TABLE IF NOT EXISTS merges (
    id TEXT PRIMARY KEY, time TEXT NOT NULL, level TEXT NOT NULL, files INTEGER NOT NULL,
    read INTEGER NOT NULL, removed INTEGER NOT NULL);
"""


def ledger_path(book: Path) -> Path:
    """The ledger of a review book: 'REVIEW.xlsx' -> 'REVIEW.ledger.sqlite' beside it."""
    return book.with_name(book.stem + SUFFIX)


@dataclass(frozen=True)
class FileRecord:
    """One file as the ledger records it."""

    relative: str  # where the file sits under the folder merged (stored as 'path')
    fingerprint: str
    size: int
    modified: float
    received: str
    template: str = ""
    version: str = ""
    clusters: str = ""
    errors: int = 0
    warnings: int = 0
    outcome: str = ""
    merged: str = ""


@dataclass
class LedgerState:
    """What the ledger held before this merge."""

    files: dict[str, FileRecord] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    cached: set[tuple[str, str]] = field(default_factory=set)  # (fingerprint, context)
    damaged: bool = False


class Ledger:
    """The ledger of one review book."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> LedgerState:
        """What the ledger holds (empty when there is none yet). A damaged ledger reads as
        empty (every file is read again) and is set aside when the merge is recorded."""
        if not self.path.exists():
            return LedgerState()
        try:
            with contextlib.closing(self._connect(read_only=True)) as connection:
                files = {row[0]: FileRecord(*row) for row in connection.execute(
                    "SELECT path, fingerprint, size, modified, received, template, version, "
                    "clusters, errors, warnings, outcome, merged FROM files")}
                meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
                cached = set(connection.execute("SELECT fingerprint, context FROM contents")
                             .fetchall())
        except sqlite3.DatabaseError:
            return LedgerState(damaged=True)
        if meta.get("schema") != SCHEMA_VERSION:
            return LedgerState(damaged=bool(meta))
        return LedgerState(files, meta, cached)

    def contents(self, keys: Iterable[tuple[str, str]]) -> dict[str, list[Source]]:
        """The sources read earlier from files with these fingerprints, by fingerprint."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, list[Source]] = {}
        if not wanted:
            return found
        with contextlib.closing(self._connect(read_only=True)) as connection:
            connection.execute("CREATE TEMP TABLE wanted (fingerprint TEXT, context TEXT)")
            connection.executemany("INSERT INTO wanted VALUES (?, ?)", wanted)
            for fingerprint, payload in connection.execute(
                    "SELECT c.fingerprint, c.payload FROM contents c JOIN wanted w "
                    "ON c.fingerprint = w.fingerprint AND c.context = w.context"):
                found[fingerprint] = decode_sources(payload)
        return found

    @contextlib.contextmanager
    def recording(self, state: LedgerState) -> Iterator[_Recorder]:
        """A transaction that records a merge; it commits when the block ends without an
        error (after the review book is in place) and rolls back otherwise."""
        if state.damaged and self.path.exists():
            stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
            self.path.replace(self.path.with_name(f"{self.path.stem}.damaged-{stamp}.sqlite"))
        try:
            connection = self._connect()
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise WorkbookError(self.path.name, _busy(error)) from None
        try:
            # One statement at a time: executescript() would commit the transaction first.
            for statement in filter(str.strip, _SCHEMA.split(";")):
                connection.execute(statement)
            yield _Recorder(connection)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def _connect(self, *, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   timeout=10)
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)


def _busy(error: sqlite3.OperationalError) -> str:
    if "locked" in str(error):
        return ("another merge into this review book is running; run again when it has "
                "finished (nothing was written)")
    return f"the ledger cannot be written ({error}); nothing was written"


class _Recorder:
    """Writes one merge into an open ledger transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def files(self, records: Sequence[FileRecord]) -> None:
        """Replace the file records with these (files no longer in the folder go)."""
        self.connection.execute("DELETE FROM files")
        self.connection.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [tuple(asdict(record).values()) for record in records])

    def contents(self, context: str, read: dict[str, list[Source]],
                 keep: Iterable[str]) -> None:
        """Store what was read now; keep the earlier contents of ``keep`` fingerprints in this
        context and drop the rest."""
        self.connection.execute("CREATE TEMP TABLE keep (fingerprint TEXT PRIMARY KEY)")
        self.connection.executemany("INSERT OR IGNORE INTO temp.keep VALUES (?)",
                                    [(fingerprint,) for fingerprint in keep])
        self.connection.execute(
            "DELETE FROM contents WHERE context <> ? OR fingerprint NOT IN "
            "(SELECT fingerprint FROM temp.keep)", (context,))
        self.connection.executemany(
            "INSERT OR REPLACE INTO contents VALUES (?, ?, ?)",
            [(fingerprint, context, encode_sources(sources))
             for fingerprint, sources in read.items()])
        self.connection.execute("DROP TABLE temp.keep")

    def meta(self, values: dict[str, str]) -> None:
        self.connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                    [("schema", SCHEMA_VERSION), *values.items()])

    def merge(self, merge_id: str, time: str, level: str, files: int, read: int,
              removed: int) -> None:
        self.connection.execute("INSERT INTO merges VALUES (?, ?, ?, ?, ?, ?)",
                                (merge_id, time, level, files, read, removed))


# --- what was read, as bytes ------------------------------------------------------------------

def _dates(value: object) -> object:
    """JSON for the values JSON has no word for: dates and times."""
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return str(value)  # a time of day or a duration: kept as the text the book shows


def _hook(item: dict[str, Any]) -> Any:
    if len(item) == 1:
        if "d" in item:
            return dt.date.fromisoformat(item["d"])
        if "t" in item:
            return dt.datetime.fromisoformat(item["t"])
    return item


def encode_sources(sources: Sequence[Source]) -> bytes:
    """Sources as JSON (never pickle: a ledger on a shared drive is not trusted code)."""
    data = [{
        "file": s.file, "path": s.relative, "fingerprint": s.fingerprint, "size": s.size,
        "received": s.received, "form_id": s.form_id, "version": s.version, "via": s.via,
        "carried_outcome": s.carried_outcome, "carried_kind": s.carried_kind,
        "carried_code": s.carried_code,
        "findings": [[str(f.severity), f.rule, f.message, f.file, f.sheet, f.cell, f.value]
                     for f in s.findings],
        "entries": [{
            "form_id": e.form_id, "group": e.group, "cluster_code": e.cluster_code,
            "province": e.province, "district": e.district, "cluster_name": e.cluster_name,
            "submitted": e.submitted, "file": e.file, "fingerprint": e.fingerprint,
            "received": e.received, "earlier": e.earlier, "earlier_by": e.earlier_by,
            "earlier_code": e.earlier_code,
            "sections": {key: [[row.sheet, row.row, row.values] for row in rows]
                         for key, rows in e.sections.items()},
        } for e in s.entries],
    } for s in sources]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      default=_dates).encode("utf-8")


def decode_sources(payload: bytes) -> list[Source]:
    """The sources :func:`encode_sources` stored."""
    data = json.loads(payload.decode("utf-8"), object_hook=_hook)
    sources = []
    for item in data:
        entries = [Entry(
            e["form_id"], e["group"], e["cluster_code"], e["province"], e["district"],
            e["cluster_name"], e["submitted"],
            {key: [SourceRow(sheet, row, tuple(values)) for sheet, row, values in rows]
             for key, rows in e["sections"].items()},
            file=e["file"], fingerprint=e["fingerprint"], received=e["received"],
            earlier=e["earlier"], earlier_by=e["earlier_by"],
            earlier_code=code_of(Replacement, e.get("earlier_code"))) for e in item["entries"]]
        findings = [Finding(Severity(f[0]), *f[1:]) for f in item["findings"]]
        sources.append(Source(item["file"], item["path"], item["fingerprint"], item["size"],
                              item["received"], item["form_id"], item["version"], entries,
                              findings, item["via"], item["carried_outcome"],
                              code_of(Outcome, item.get("carried_kind")),
                              code_of(MergeOutcome, item.get("carried_code"))))
    return sources

