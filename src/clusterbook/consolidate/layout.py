"""The review book's sheets and columns, described once for the writer and the reader.

The data sheets come from the form schemas: each sheet of a form becomes a sheet of the review
book with the form's own field labels as headers. Sections that share a sheet with a table (an
action plan's details above its actions) become leading columns of the table's rows; a sheet
of records only (identification, sign-off) gives one row per form. Every row ends with its
provenance: source file, sheet, row, fingerprint and received time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from clusterbook.domain.consolidation import Entry, SourceRow, consolidated_forms
from clusterbook.domain.submission import label_key
from clusterbook.forms import Field, Form, Kind, RecordSection, TableSection

SUMMARY, FEEDBACK, ISSUES, SUPERSEDED, FILES = (
    "Summary", "Feedback", "Issues", "Superseded", "Files")
#: The folder beside a review book that keeps its earlier versions.
BACKUPS_FOLDER: Final = "backups"
#: Where the data sheets' header row is (a title and a note above it).
HEADER_ROW: Final = 3


@dataclass(frozen=True)
class Column:
    """One column of a review book sheet: a key for programs, the header people read."""

    key: str
    header: str
    width: float = 14.0
    kind: Kind = Kind.TEXT
    field: Field | None = None  # the form field it shows, for data sheets
    wrap: bool = False  # long text, wrapped in the cell
    hidden: bool = False  # a code the book reads back, kept out of sight beside its words


def _columns(*items: tuple[str, str, float] | tuple[str, str, float, Kind]) -> tuple[Column, ...]:
    return tuple(Column(item[0], item[1], item[2], *item[3:],  # type: ignore[arg-type]
                        wrap=item[0] in _WRAPPED) for item in items)


_WRAPPED: Final = frozenset({"message", "reason", "outcome"})
#: Columns never widened to show their values whole: a fingerprint's first characters tell
#: files apart, and 64 of them would shrink every printed page to illegible type.
CLIPPED: Final = frozenset({"fingerprint"})


PROVENANCE: Final = _columns(
    ("file", "Source file", 26), ("sheet", "Sheet", 13), ("row", "Row", 6, Kind.COUNT),
    ("fingerprint", "Fingerprint (SHA-256)", 18), ("received", "Received (UTC)", 20),
)

FEEDBACK_COLUMNS: Final = _columns(
    ("province", "Province", 16), ("district", "District", 14),
    ("cluster_code", "Cluster code", 12), ("cluster_name", "Cluster name", 22),
    ("status", "Review status", 14), ("comment", "Reviewer comment", 46),
    ("priority", "Priority", 10), ("low_performing", "Low performing", 10),
    ("microplan", "Microplan", 12), ("action_plan", "Action plan", 11),
    ("last_received", "Last received (UTC)", 20), ("updated", "New file since last merge", 12),
)
#: The columns reviewers type in; everything else on the Feedback sheet is rebuilt.
REVIEWER_COLUMNS: Final = ("status", "comment", "priority")
#: Other headers a reviewer may have given the Feedback columns (compared as label keys).
FEEDBACK_ALIASES: Final = {
    "cluster_code": ("Cluster", "Code", "Cluster ID", "Cluster no", "Cluster number"),
    "status": ("Status", "Review", "Reviewed", "Decision", "Review result"),
    "comment": ("Comment", "Comments", "Reviewer comments", "Review comment",
                "Review comments", "Remarks", "Remark", "Notes", "Note", "Feedback",
                "Reviewer note", "Reviewer notes", "Observations"),
    "priority": ("Priority level", "Urgency"),
    "cluster_name": ("Name",),
}
#: The Feedback sheet's title starts with this (its mark, kept when the sheet is renamed).
FEEDBACK_TITLE: Final = "Feedback: one row per cluster"
#: How far down a header row is looked for (rows inserted above it, title rows deleted).
HEADER_SEARCH_ROWS: Final = 30

ISSUE_COLUMNS: Final = _columns(
    ("severity", "Severity", 9), ("rule", "Rule", 20), ("message", "Message", 70),
    ("file", "File", 26), ("sheet", "Sheet", 13), ("cell", "Cell", 7), ("value", "Value", 18),
    ("province", "Province", 14), ("district", "District", 13), ("clusters", "Clusters", 12),
    ("outcome", "File outcome", 16), ("fingerprint", "Fingerprint (SHA-256)", 18),
)

SUPERSEDED_COLUMNS: Final = (*_columns(
    ("form", "Form", 12), ("province", "Province", 14), ("district", "District", 13),
    ("cluster_code", "Cluster code", 12), ("file", "Source file", 26),
    ("fingerprint", "Fingerprint (SHA-256)", 18), ("received", "Received (UTC)", 20),
    ("submitted", "Dated", 11, Kind.DATE), ("reason", "Why it is not current", 60),
    ("by", "Current file", 26),
), Column("reason_code", "Reason code", 14, hidden=True))

FILE_COLUMNS: Final = (*_columns(
    ("file", "File", 28), ("relative", "Where", 30), ("template", "Template", 15),
    ("version", "Version", 8), ("clusters", "Clusters", 16), ("province", "Province", 14),
    ("district", "District", 13), ("size", "Size (bytes)", 11, Kind.COUNT),
    ("received", "Received (UTC)", 20), ("fingerprint", "Fingerprint (SHA-256)", 18),
    ("errors", "Errors", 7, Kind.COUNT), ("warnings", "Warnings", 8, Kind.COUNT),
    ("outcome", "Outcome", 40), ("kind", "Kind", 11), ("via", "Came through", 24),
), Column("outcome_code", "Outcome code", 14, hidden=True))

#: Rows of the hidden form sheet after the form id and version: (key, label).
MARK_ROWS: Final = (("level", "Level"), ("merge", "Merge"), ("written", "Written (UTC)"),
                    ("clusters", "Cluster list"), ("folder", "Folder"))


@dataclass(frozen=True)
class DataSheet:
    """A review book sheet holding one sheet of a form: leading place columns, the records'
    fields, the table's fields, then provenance."""

    name: str
    form: Form
    records: tuple[RecordSection, ...]
    table: TableSection | None
    context: tuple[Column, ...]

    @property
    def sections(self) -> tuple[RecordSection | TableSection, ...]:
        return (*self.records, *((self.table,) if self.table else ()))

    @property
    def columns(self) -> tuple[Column, ...]:
        fields = tuple(Column(f"{section.key}.{item.key}", item.label, item.width, item.kind,
                              item)
                       for section in self.sections for item in section.fields)
        return (*self.context, *fields, *PROVENANCE)

    def rows(self, entry: Entry) -> Iterator[list[object]]:
        """The sheet's rows for one entry, each ending with its provenance."""
        context = [getattr(entry, column.key) for column in self.context]
        leading: list[object] = []
        first: SourceRow | None = None
        for section in self.records:
            rows = entry.sections.get(section.key)
            if rows:
                first = first or rows[0]
                leading.extend(rows[0].values)
            else:
                leading.extend([None] * len(section.fields))
        tail = [entry.fingerprint, entry.received]
        if self.table is None:
            if first is not None:
                yield [*context, *leading, entry.file, first.sheet, first.row, *tail]
            return
        for row in entry.sections.get(self.table.key, []):
            yield [*context, *leading, *row.values, entry.file, row.sheet, row.row, *tail]


def data_sheets() -> tuple[DataSheet, ...]:
    """The data sheets of every consolidated form, in the forms' order."""
    sheets = []
    for form in consolidated_forms():
        single = len(form.sheets) == 1
        for base in form.sheets:
            sections = form.sections_on(base)
            records = tuple(s for s in sections if isinstance(s, RecordSection))
            tables = [s for s in sections if isinstance(s, TableSection)]
            numbered = next((s.number for s in sections if s.number), None)
            name = (form.plural or base) if single else (
                f"{numbered} {base}" if numbered else base)
            keys = {item.key for section in sections for item in section.fields}
            context = tuple(Column(item.key, item.label, min(item.width, 16), item.kind, item)
                            for item in place_fields(form) if item.key not in keys)
            sheets.append(DataSheet(name, form, records, tables[0] if tables else None,
                                    context))
    return tuple(sheets)


def place_fields(form: Form) -> tuple[Field, ...]:
    """The form's own province, district and cluster code fields, which lead every data row
    so that each row says which cluster it is for."""
    found: dict[str, Field] = {}
    for section in form.sections:
        for item in section.fields:
            if item.key in ("province", "district", "cluster_code"):
                found.setdefault(item.key, item)
    return tuple(found[key] for key in ("province", "district", "cluster_code") if key in found)


def header_positions(header: list[object], columns: tuple[Column, ...],
                     aliases: dict[str, tuple[str, ...]] | None = None) -> dict[str, int]:
    """Where each column's header is in a header row read back (0-based), by its text (case,
    spaces and punctuation aside, so a header retyped by hand is still found), or by one of
    its ``aliases``."""
    texts: dict[str, int] = {}
    for position, text in enumerate(header):
        key = label_key(text)
        if key:
            texts.setdefault(key, position)
    found = {column.key: texts[label_key(column.header)] for column in columns
             if label_key(column.header) in texts}
    taken = set(found.values())
    for key, names in (aliases or {}).items():
        if key in found or key not in {column.key for column in columns}:
            continue
        for name in names:
            position = texts.get(label_key(name))
            if position is not None and position not in taken:
                found[key] = position
                taken.add(position)
                break
    return found


def find_header(rows: list[list[object]], columns: tuple[Column, ...], *, needed: set[str],
                aliases: dict[str, tuple[str, ...]] | None = None, usual: int = HEADER_ROW
                ) -> tuple[int, dict[str, int]] | None:
    """The header row of a table read back (1-based) and its columns' positions: the usual
    row when it holds the ``needed`` columns, else the first of the top rows that holds them
    (rows inserted above it, title rows deleted). None when no row does."""
    order = [usual - 1, *(index for index in range(min(len(rows), HEADER_SEARCH_ROWS))
                          if index != usual - 1)]
    for index in order:
        if 0 <= index < len(rows):
            positions = header_positions(rows[index], columns, aliases)
            if needed <= positions.keys():
                return index + 1, positions
    return None
