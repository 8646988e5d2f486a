"""Consolidation's rules, once: which submission is current, identical files, what was expected
and received, and how reviewers' feedback is carried over.

Everything here works on plain values. The file work (finding files, the ledger, reading
submissions and review books, writing the review book) lives in ``clusterbook.consolidate``.

Words used here:

- a :class:`Source` is one file a district sent (or its record in a review book it came
  through): its name, fingerprint (SHA-256), size, received time, and what reading it found;
- a file's location has one name per meaning: ``file`` is its name as people see it (in every
  record: sources, entries, findings), ``relative`` is where it sits under the folder merged,
  as text ('Kotal/plan.xlsx'), and ``path`` is only ever a path on disk;
- an :class:`Entry` is one form for one cluster in a source: a microplan, or one cluster's
  rows of a district's action plan. Entries are what replace each other;
- a :class:`Review` is the merge: the current entries, the replaced ones with the reason, each
  file's outcome, the summary per district and the feedback rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from typing import Final

import pandas as pd

from clusterbook.domain.clusterlist import ClusterInfo, ClusterList, code_key, place_key
from clusterbook.domain.errors import ErrorKind
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.levels import LEVELS, Level
from clusterbook.domain.outcomes import MergeOutcome, Outcome, Replacement, outcome_of
from clusterbook.domain.rule_registry import FILE_RULES, RuleId
from clusterbook.domain.submission import REVIEW_BOOK_ID, Document, sheet_name
from clusterbook.domain.typed_values import typed_value
from clusterbook.domain.values import clean_text, without_invisible
from clusterbook.forms import (
    ACTION_PLAN,
    FORMS,
    MICROPLAN,
    Field,
    Form,
    Kind,
    RecordSection,
    TableSection,
)
from clusterbook.forms.cells import parse_ref

#: The mark a review book carries on its hidden form sheet, so that it is recognised as one.
REVIEW_BOOK_VERSION: Final = "2025.1"



class ReviewStatus(StrEnum):
    """The review statuses a reviewer picks on the Feedback sheet (as they read there); other
    text a reviewer types stays as typed."""

    ACCEPTED = "Accepted"
    RETURNED = "Returned"
    PENDING = "Pending"


REVIEW_STATUSES: Final = tuple(ReviewStatus)
PRIORITIES: Final = ("High", "Medium", "Low")

_COPY_GROUP: Final = re.compile(r"\s*(\(\d+\))$")


def consolidated_forms() -> tuple[Form, ...]:
    """The forms districts submit for consolidation (those that name a cluster), in order."""
    return tuple(form for form in FORMS.values() if form.cluster_field is not None)


def form_name(form: Form) -> str:
    """A form's short name: 'Microplan', 'Action plan'."""
    return form.plural[:-1] if form.plural.endswith("s") else (form.plural or form.form_id)


def group_of(sheet: str) -> str:
    """The copy a sheet belongs to: 'Team (2)' -> '(2)', 'Team' -> ''."""
    match = _COPY_GROUP.search(sheet)
    return match.group(1) if match else ""


# --- what was received ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceRow:
    """One row of a section as submitted: its sheet and row, and its values in the order of the
    section's fields (read as each field's kind reads them)."""

    sheet: str
    row: int
    values: tuple[object, ...]


@dataclass
class Entry:
    """One form for one cluster from one file: a microplan, or one cluster's rows of an action
    plan. ``sections`` holds the rows by section key (a record has one row)."""

    form_id: str
    group: str
    cluster_code: str
    province: str
    district: str
    cluster_name: str
    submitted: dt.date | None
    sections: dict[str, list[SourceRow]] = field(default_factory=dict)
    file: str = ""
    fingerprint: str = ""
    received: str = ""
    errors: int = 0
    warnings: int = 0
    #: For an entry carried from a review book's Superseded sheet: why it was replaced (it has
    #: no rows, and stays replaced), in words and as its code (None in older books), and by
    #: which file.
    earlier: str = ""
    earlier_by: str = ""
    earlier_code: Replacement | None = None

    @property
    def form(self) -> Form:
        return FORMS[self.form_id]

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.sections.values())

    def sheets(self) -> set[str]:
        """The sheets this entry's form has in its workbook (with its copy suffix)."""
        names = {sheet_name(base, self.group) for base in self.form.sheets}
        names.update(row.sheet for rows in self.sections.values() for row in rows)
        return names


@dataclass
class Source:
    """One submitted file and what reading it found. ``via`` names the review book it came
    through ("" when it was read from the folder)."""

    file: str
    relative: str
    fingerprint: str
    size: int
    received: str
    form_id: str = ""
    version: str = ""
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    via: str = ""
    #: The outcome a review book recorded for a file it carried (e.g. 'Not readable: ...'),
    #: in words, as its kind and as its code (None in books written before they were kept).
    carried_outcome: str = ""
    carried_kind: Outcome | None = None
    carried_code: MergeOutcome | None = None

    @property
    def readable(self) -> bool:
        return bool(self.form_id)

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def clusters(self) -> list[str]:
        return list(dict.fromkeys(entry.cluster_code for entry in self.entries
                                  if entry.cluster_code))

    def renamed(self, file: str, relative: str | None = None) -> Source:
        """The same content under another file name (entries and findings follow)."""
        return replace(self, file=file,
                       relative=self.relative if relative is None else relative,
                       entries=[replace(entry, file=file) for entry in self.entries],
                       findings=[replace(finding, file=file) for finding in self.findings])


def _text_value(value: object) -> object:
    """typed_value for a text field, quick for the usual case of a string."""
    if type(value) is str:
        return value.strip() or None
    return typed_value(_ANY_TEXT, value)


_ANY_TEXT: Final = Field("text", "Text")


def value_reader(item: Field) -> Callable[[object], object]:
    """The function that reads a field's cell values as :func:`typed_value` does (text fields,
    most of a form, take a quicker path)."""
    if item.kind is Kind.TEXT:
        return _text_value
    return partial(typed_value, item)


def entries_from_documents(documents: Iterable[Document]) -> list[Entry]:
    """The entries of the documents read from one workbook: one per microplan, one per cluster
    of an action plan. Values are read as their fields' kinds read them (counts as numbers,
    dates as dates); a value that cannot be read stays as typed. Forms that name no cluster
    are left out."""
    entries: list[Entry] = []
    for document in documents:
        form = document.form
        if form.cluster_field is None:
            continue
        sections: dict[str, list[SourceRow]] = {}
        for section in form.sections:
            if isinstance(section, RecordSection):
                record = document.records.get(section.key)
                if record is None:
                    continue
                rows = [parse_ref(cell)[0] for cell in record.cells.values() if cell]
                values = tuple(value_reader(item)(record.values.get(item.key))
                               for item in section.fields)
                sections[section.key] = [SourceRow(record.sheet, min(rows, default=section
                                                                     .first_row), values)]
            else:
                table = document.tables.get(section.key)
                if table is None:
                    continue
                readers = [value_reader(item) for item in section.fields]
                sections[section.key] = [
                    SourceRow(table.sheet, number,
                              tuple(read(value)
                                    for read, value in zip(readers, values, strict=True)))
                    for number, values in zip(table.row_numbers, table.rows, strict=True)]
        entries.extend(entries_of(form, document.group, sections, file=document.file))
    return entries


def entries_of(form: Form, group: str, sections: dict[str, list[SourceRow]], *,
               file: str = "") -> list[Entry]:
    """The entries of one filled form from its section rows: one entry, or one per cluster
    when the cluster is named in a table (rows without a code make an entry of their own)."""
    assert form.cluster_field is not None
    cluster_section, cluster_key = form.cluster_field
    section = form.section(cluster_section)
    position = [item.key for item in section.fields].index(cluster_key)
    if isinstance(section, TableSection):
        by_cluster: dict[str, list[SourceRow]] = {}
        codes: dict[str, str] = {}
        for row in sections.get(cluster_section, []):
            code = without_invisible(clean_text(row.values[position]))
            by_cluster.setdefault(code_key(code), []).append(row)
            codes.setdefault(code_key(code), code)
        parts = [(codes[key], {**sections, cluster_section: rows})
                 for key, rows in by_cluster.items()]
    else:
        rows = sections.get(cluster_section, [])
        parts = [(without_invisible(clean_text(rows[0].values[position])) if rows else "",
                  sections)]
    entries = []
    for code, entry_sections in parts:
        place = _place(form, entry_sections)
        entries.append(Entry(form.form_id, group, code, place["province"], place["district"],
                             place["cluster_name"], _submitted(form, entry_sections),
                             entry_sections, file=file))
    return entries


def _field_value(form: Form, sections: dict[str, list[SourceRow]], section_key: str,
                 key: str) -> object:
    rows = sections.get(section_key)
    if not rows:
        return None
    keys = [item.key for item in form.section(section_key).fields]
    return rows[0].values[keys.index(key)] if key in keys else None


def _place(form: Form, sections: dict[str, list[SourceRow]]) -> dict[str, str]:
    """Province, district and cluster name as the form's records give them."""
    place = {"province": "", "district": "", "cluster_name": ""}
    for section in form.sections:
        if not isinstance(section, RecordSection):
            continue
        for key in place:
            if not place[key]:
                place[key] = clean_text(_field_value(form, sections, section.key, key))
    return place


def _submitted(form: Form, sections: dict[str, list[SourceRow]]) -> dt.date | None:
    """The latest of the form's dating fields that holds a date."""
    days = [value for section_key, key in form.dated_by
            if isinstance(value := _field_value(form, sections, section_key, key), dt.date)]
    return max((day.date() if isinstance(day, dt.datetime) else day for day in days),
               default=None)


def count_findings(source: Source) -> None:
    """Set each entry's error and warning counts: the findings on its form's sheets, and the
    findings of the file that belong to no one form (file-wide, or a sheet of its own)."""
    owners: dict[str, list[Entry]] = {}
    for entry in source.entries:
        for sheet in entry.sheets():
            owners.setdefault(sheet, []).append(entry)
    for entry in source.entries:
        entry.errors = entry.warnings = 0
    for finding in source.findings:
        for entry in owners.get(finding.sheet, source.entries):
            if finding.severity is Severity.ERROR:
                entry.errors += 1
            else:
                entry.warnings += 1


# --- the merge -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Replaced:
    """An entry that is not current, why (in words and as a code), and the file that replaced
    it. The code is None for an entry carried from a book written before codes were kept."""

    entry: Entry
    reason: str
    by: str  # the file of the current entry (or the kept copy)
    why: Replacement | None = None


#: The words of the outcomes whose full words go on with a detail ('Not readable: ...').
HEADLINES: Final = {MergeOutcome.NOT_READABLE: "Not readable",
                    MergeOutcome.OTHER_PROVINCE: "Not merged", MergeOutcome.SKIPPED: "Skipped"}


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file: its kind, what the merge made of it (None for a file a review
    book written before such codes were kept carried), and the words people read."""

    source: Source
    outcome: str
    kind: Outcome = Outcome.READ
    code: MergeOutcome | None = MergeOutcome.MERGED

    @property
    def headline(self) -> str:
        """The outcome without its detail: 'Not readable', 'Merged', 'Identical to ...'."""
        if self.code is None:  # the words of an older book are all there is
            return self.outcome.split(":")[0]
        return HEADLINES.get(self.code, self.outcome)

    @property
    def unreadable(self) -> bool:
        """The file could not be read as a form (damaged, refused, another kind of file)."""
        return self.kind in (Outcome.UNREADABLE, Outcome.REFUSED) or (
            self.kind is Outcome.NOT_A_FORM and bool(self.source.findings))


@dataclass
class ReviewerNote:
    """What a reviewer typed for a cluster in a review book, and what the book showed beside."""

    cluster_code: str
    status: str = ""
    comment: str = ""
    priority: str = ""
    province: str = ""
    district: str = ""
    cluster_name: str = ""
    last_received: str = ""
    #: Columns the reviewers added to the Feedback sheet ('Checked by'), by header.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def typed(self) -> bool:
        """True when the reviewer typed something (a status other than Pending counts)."""
        return bool(self.comment or self.priority or any(self.extra.values())
                    or (self.status and self.status != ReviewStatus.PENDING))


@dataclass
class FeedbackRow:
    """One cluster on the Feedback sheet: the reviewer's columns and what the merge knows."""

    province: str
    district: str
    cluster_code: str
    cluster_name: str
    status: str
    comment: str
    priority: str
    low_performing: bool | None
    microplan: str
    action_plan: str
    last_received: str
    updated: bool
    #: The reviewers' own columns, by header (see ``Review.extra_columns``).
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Review:
    """The merge: current entries (in order), replaced ones, each file's outcome, the summary
    by district and province, and the feedback rows."""

    level: str
    current: list[Entry]
    replaced: list[Replaced]
    files: list[FileOutcome]
    clusters: ClusterList | None
    districts: pd.DataFrame
    provinces: pd.DataFrame
    feedback: list[FeedbackRow]
    #: Columns the reviewers added to the Feedback sheet, in the order they had them.
    extra_columns: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[Source]:
        return [item.source for item in self.files]

    def findings(self) -> list[tuple[Finding, Source, str]]:
        """Every finding of every file, with its file and the file's outcome without its
        detail (:attr:`FileOutcome.headline`)."""
        return [(finding, item.source, item.headline) for item in self.files
                for finding in item.source.findings]


MERGED, SUPERSEDED_OUTCOME = "Merged", "Superseded"
#: How the words of an identical copy's outcome start: all a book written before outcome
#: codes were kept says of it.
COPY_WORDS: Final = ("Identical", "Counted once")
NOT_READABLE = HEADLINES[MergeOutcome.NOT_READABLE]
NOT_A_SUBMISSION = "Not a district submission"


def consolidate(sources: Sequence[Source], *, clusters: ClusterList | None = None,
                notes: Sequence[ReviewerNote] = (), level: str = Level.REGION) -> Review:
    """Merge the sources: identical files once, the newest entry per cluster and form current,
    every other one listed with the reason; the summary and the feedback rows.

    ``notes`` are the reviewers' notes of the previous review book: every one is kept.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    places = _Places(clusters)
    # What came through a review book is judged here: its sources are copied, so that the
    # ones the ledger keeps stay as they were read.
    sources = [replace(source, entries=list(source.entries), findings=list(source.findings))
               if source.via else source for source in sources]
    _own_province_only(sources, places)
    kept, copies = _distinct(sources)
    carrier = {id(entry): source.via for source in kept for entry in source.entries}
    replaced: list[Replaced] = list(copies)
    groups: dict[tuple[str, ...], list[Entry]] = {}
    for source in kept:
        count_findings(source)
        for entry in source.entries:
            if entry.earlier:
                replaced.append(Replaced(entry, entry.earlier, entry.earlier_by,
                                         entry.earlier_code))
                continue
            groups.setdefault(_entry_key(entry, len(groups)), []).append(entry)
    current: list[Entry] = []
    by_entry = {id(entry): source for source in kept for entry in source.entries}
    for entries in groups.values():
        ordered = sorted(entries, key=_newness)
        newest = ordered[-1]
        current.append(newest)
        replaced.extend(Replaced(entry, _reason(entry, newest), newest.file,
                                 _replacement(entry, newest)) for entry in ordered[:-1])
        _conflicts(newest, ordered[:-1], carrier, by_entry)
    current.sort(key=lambda entry: (*places.of(entry), code_key(entry.cluster_code),
                                    _form_order(entry.form_id), entry.file, entry.group))
    replaced.sort(key=lambda item: (*places.of(item.entry), code_key(item.entry.cluster_code),
                                    _form_order(item.entry.form_id), item.entry.received))
    files = _outcomes(sources, kept, current, replaced)
    scope = _scope(clusters, current, level, places)
    districts = district_summary(current, clusters, scope, places)
    extra_columns = list(dict.fromkeys(header for note in notes for header in note.extra))
    return Review(level, current, replaced, files, clusters, districts,
                  province_summary(districts), feedback_rows(current, clusters, scope, notes,
                                                             places), extra_columns)


def _own_province_only(sources: Sequence[Source], places: _Places) -> None:
    """A review book is trusted only for its own province's clusters (the province most of its
    clusters are in); rows it carries for another province's clusters are not merged, and an
    Issue names the book itself. A file name proves nothing."""
    books: dict[str, list[Source]] = {}
    for source in sources:
        if source.via:
            books.setdefault(source.via, []).append(source)
    for book, carried in books.items():
        counts: dict[str, int] = {}
        for source in carried:
            for entry in source.entries:
                province = places.of(entry)[0]
                if province:
                    counts[province] = counts.get(province, 0) + 1
        if len(counts) < 2:
            continue
        own = max(counts, key=lambda province: (counts[province], -list(counts).index(
            province)))
        mine = next(places.names(entry)[0] for source in carried for entry in source.entries
                    if places.of(entry)[0] == own)
        for source in carried:
            foreign = [entry for entry in source.entries
                       if places.of(entry)[0] not in ("", own)]
            if not foreign:
                continue
            source.entries = [entry for entry in source.entries if entry not in foreign]
            codes = ", ".join(dict.fromkeys(entry.cluster_code for entry in foreign))
            home = places.names(foreign[0])[0] or foreign[0].province
            source.findings.append(Finding(Severity.ERROR, RuleId.REVIEW_BOOK_PROVINCE, (
                f"{book} is the review book of {mine}, but it carries {codes} of {home} "
                f"(from {source.file}); those rows were not merged. A province's clusters "
                f"come from its own review book or from the district's file."), book))
            if not source.entries:
                source.carried_outcome = (f"{HEADLINES[MergeOutcome.OTHER_PROVINCE]}: carried "
                                          f"by {book}, the review book of another province")
                source.carried_kind = Outcome.REFUSED
                source.carried_code = MergeOutcome.OTHER_PROVINCE


def _conflicts(newest: Entry, older: Sequence[Entry], carrier: dict[int, str],
               by_entry: dict[int, Source]) -> None:
    """When a review book's entry replaces one that came another way (read from the folder,
    or carried by another book), the replacement is an Issue on that book, never silent."""
    book = carrier.get(id(newest), "")
    if not book:
        return
    others = [entry for entry in older if carrier.get(id(entry), "") != book
              and entry.fingerprint != newest.fingerprint and entry.sections]
    if not others:
        return
    source = by_entry[id(newest)]
    what = ", ".join(f"{entry.file}" + (f" (carried by {carrier[id(entry)]})"
                                        if carrier.get(id(entry)) else " (received directly)")
                     for entry in others)
    source.findings.append(Finding(Severity.WARNING, RuleId.REVIEW_BOOK_CONFLICT, (
        f"{book} carries {form_name(newest.form)} {newest.cluster_code} from {newest.file}, "
        f"dated later than {what}, so it is current. Check with the province that this is the "
        f"file they meant to send."), book))


def _distinct(sources: Sequence[Source]) -> tuple[list[Source], list[Replaced]]:
    """The sources with identical files once. The same file seen twice (read from the folder
    and carried by a review book, or carried by two books) counts once, silently; a copy under
    another name is listed as identical to the one kept."""
    order = {id(source): position for position, source in enumerate(sources)}
    by_fingerprint: dict[str, list[Source]] = {}
    kept: list[Source] = []
    for source in sources:
        if source.fingerprint:
            by_fingerprint.setdefault(source.fingerprint, []).append(source)
        else:
            kept.append(source)
    copies: list[Replaced] = []
    for same in by_fingerprint.values():
        # The file read from the folder, with content, received first, under the shortest
        # name ('Plan.xlsx' before 'Copy of Plan.xlsx' and 'Plan (1).xlsx') is kept.
        same.sort(key=lambda s: (not s.entries, not s.readable, bool(s.via), s.received,
                                 len(s.file), s.file.casefold()))
        first = same[0]
        kept.append(first)
        seen = {first.file}
        for other in same[1:]:
            if other.file in seen:
                continue
            seen.add(other.file)
            reason = f"{_identical_to(first.file)}; counted once"
            listed = first.entries or [Entry(first.form_id, "", "", "", "", "", None)]
            copies.extend(Replaced(replace(entry, sections={}, file=other.file,
                                           received=other.received, fingerprint=other.fingerprint,
                                           earlier="", earlier_by="", earlier_code=None),
                                   reason, first.file, Replacement.IDENTICAL)
                          for entry in listed)
    kept.sort(key=lambda source: order[id(source)])
    return kept, copies


def _identical_to(file: str) -> str:
    return f"Identical to {file} (same fingerprint)"


def _entry_key(entry: Entry, serial: int) -> tuple[str, ...]:
    key = code_key(entry.cluster_code)
    if key:
        return (entry.form_id, key)
    # Without a code nothing can replace it: a key of its own.
    return (entry.form_id, "", entry.fingerprint, entry.group, str(serial))


def _newness(entry: Entry) -> tuple[dt.date, str, str, int]:
    """Later submission date first (the sign-off or preparation date, else the day the file was
    received), then the later received time, then the file name and the copy's place."""
    received_day = _day_of(entry.received)
    day = entry.submitted or received_day
    return (day, entry.received, entry.file.casefold(), _group_number(entry.group))


def _day_of(received: str) -> dt.date:
    try:
        return dt.datetime.fromisoformat(received.replace("Z", "+00:00")).date()
    except ValueError:
        return dt.date.min


def _group_number(group: str) -> int:
    return int(group.strip("()")) if group else 1


def _replacement(old: Entry, new: Entry) -> Replacement:
    """Why ``new`` replaces ``old``."""
    if old.fingerprint == new.fingerprint:
        return Replacement.SAME_WORKBOOK
    if old.submitted and new.submitted and new.submitted > old.submitted:
        return Replacement.DATED_LATER
    return Replacement.RECEIVED_LATER


def _reason(old: Entry, new: Entry) -> str:
    """Why ``new`` replaces ``old``, in words."""
    why = _replacement(old, new)
    if why is Replacement.SAME_WORKBOOK:
        form = FORMS[old.form_id].title.split(" (")[0]
        return (f"The same workbook has another {form.lower()} for this cluster that is "
                f"newer; the later copy counts")
    if why is Replacement.DATED_LATER:
        assert old.submitted is not None and new.submitted is not None
        return (f"Replaced by a newer submission: {new.file}, dated "
                f"{new.submitted:%d/%m/%Y} (this one {old.submitted:%d/%m/%Y})")
    return f"Replaced by a newer submission: {new.file}, received {new.received}"


def _form_order(form_id: str) -> int:
    return list(FORMS).index(form_id) if form_id in FORMS else len(FORMS)


def _outcomes(sources: Sequence[Source], kept: Sequence[Source], current: Sequence[Entry],
              replaced: Sequence[Replaced]) -> list[FileOutcome]:
    kept_ids = {id(source) for source in kept}
    current_ids = {id(entry) for entry in current}
    kept_copies = {(item.entry.file, item.entry.fingerprint): item.by for item in replaced
                   if item.why is Replacement.IDENTICAL}
    outcomes = []
    code: MergeOutcome | None
    for source in sources:
        if id(source) not in kept_ids:
            original = kept_copies.get((source.file, source.fingerprint))
            outcome = _identical_to(original) if original else "Counted once (the same file)"
            kind, code = Outcome.SUPERSEDED, MergeOutcome.COPY
        elif source.carried_outcome and not source.entries:
            outcome = source.carried_outcome
            kind, code = _carried_kind(source), source.carried_code
        elif not source.readable:
            first = source.findings[0].message if source.findings else ""
            outcome = f"{NOT_READABLE}: {first}" if first else NOT_READABLE
            kind, code = _unreadable_kind(source), MergeOutcome.NOT_READABLE
        elif source.form_id not in {form.form_id for form in consolidated_forms()}:
            outcome, kind = NOT_A_SUBMISSION, Outcome.NOT_A_FORM
            code = MergeOutcome.NOT_A_SUBMISSION
        else:
            total = len(source.entries)
            live = sum(1 for entry in source.entries if id(entry) in current_ids)
            kind = Outcome.READ
            if live == total:
                outcome, code = MERGED, MergeOutcome.MERGED
            elif live == 0:
                outcome, kind = SUPERSEDED_OUTCOME, Outcome.SUPERSEDED
                code = MergeOutcome.SUPERSEDED
            else:
                outcome = f"{MERGED} ({live} of {total} forms current)"
                code = MergeOutcome.PARTLY_CURRENT
        outcomes.append(FileOutcome(source, outcome, kind, code))
    return outcomes


_KIND_OF_RULE: Final[dict[str, ErrorKind]] = {rule: kind for kind, rule in FILE_RULES.items()}


def _unreadable_kind(source: Source) -> Outcome:
    """The kind of a file that could not be read, from its finding's rule."""
    rule = source.findings[0].rule if source.findings else ""
    return outcome_of(_KIND_OF_RULE.get(rule, ErrorKind.UNREADABLE))


def _carried_kind(source: Source) -> Outcome:
    """The kind a review book recorded for a file it carried; books written before kinds were
    recorded give their words."""
    if source.carried_kind is not None:
        return source.carried_kind
    words = source.carried_outcome
    if words.startswith((NOT_READABLE, HEADLINES[MergeOutcome.OTHER_PROVINCE])):
        return _unreadable_kind(source) if source.findings else Outcome.UNREADABLE
    if words.startswith((SUPERSEDED_OUTCOME, *COPY_WORDS)):
        return Outcome.SUPERSEDED
    if words.startswith(MERGED):
        return Outcome.READ
    return Outcome.NOT_A_FORM


# --- expected and received -----------------------------------------------------------------------

class _Places:
    """Where a cluster is: the cluster list's province and district, else what its form says."""

    def __init__(self, clusters: ClusterList | None) -> None:
        self.clusters = clusters

    def info(self, code: str) -> ClusterInfo | None:
        return self.clusters.get(code) if self.clusters is not None and code else None

    def of(self, entry: Entry) -> tuple[str, str]:
        info = self.info(entry.cluster_code)
        if info is not None:
            return (place_key(info.province), place_key(info.district))
        return (place_key(entry.province), place_key(entry.district))

    def names(self, entry: Entry) -> tuple[str, str, str]:
        info = self.info(entry.cluster_code)
        if info is not None:
            return (info.province or entry.province, info.district or entry.district,
                    info.name or entry.cluster_name)
        return (entry.province, entry.district, entry.cluster_name)


def _scope(clusters: ClusterList | None, current: Sequence[Entry], level: str,
           places: _Places) -> list[ClusterInfo]:
    """The clusters expected: every cluster of the list for a region; for a province, those of
    the provinces the submissions are from."""
    if clusters is None:
        return []
    every = list(clusters.clusters.values())
    if level == Level.REGION:
        return every
    provinces = {places.of(entry)[0] for entry in current}
    chosen = [info for info in every if place_key(info.province) in provinces]
    return chosen or every


SUMMARY_COLUMNS: Final = (
    ("province", "Province"), ("district", "District"),
    ("expected", "Clusters expected"), ("received", "Microplans received"),
    ("valid", "Valid"), ("with_errors", "With errors"), ("not_received", "Not received"),
    ("not_on_list", "Not on the cluster list"), ("listed", "Low-performing clusters"),
    ("with_action_plan", "With an action plan"),
    ("without_action_plan", "Without an action plan"),
)
_COUNTS: Final = tuple(key for key, _ in SUMMARY_COLUMNS[2:])
#: Counts that need the cluster list; without one they are left empty.
_LIST_COUNTS: Final = ("expected", "not_received", "not_on_list", "listed",
                       "with_action_plan", "without_action_plan")


def district_summary(current: Sequence[Entry], clusters: ClusterList | None,
                     scope: Sequence[ClusterInfo], places: _Places | None = None
                     ) -> pd.DataFrame:
    """Per district: clusters expected, microplans received (current ones), valid, with errors,
    expected but not received, received for clusters not on the list, low-performing clusters
    with and without an action plan. Without a cluster list only what was received is counted
    (the other counts are empty)."""
    places = places or _Places(clusters)
    microplans = {code_key(e.cluster_code): e for e in current
                  if e.form_id == MICROPLAN.form_id and code_key(e.cluster_code)}
    planned = {code_key(e.cluster_code) for e in current
               if e.form_id == ACTION_PLAN.form_id and code_key(e.cluster_code)}
    names: dict[tuple[str, str], tuple[str, str]] = {}
    counts: dict[tuple[str, str], Counter[str]] = {}

    def add(province: str, district: str, *what: str) -> None:
        key = (place_key(province), place_key(district))
        names.setdefault(key, (province, district))
        counts.setdefault(key, Counter()).update(what)

    in_scope = set()
    for info in scope:
        key = code_key(info.code)
        in_scope.add(key)
        entry = microplans.get(key)
        what = ["expected"]
        if entry is None:
            what.append("not_received")
        else:
            what += ["received", "valid" if entry.errors == 0 else "with_errors"]
        if info.low_performing:
            what += ["listed", "with_action_plan" if key in planned else "without_action_plan"]
        add(info.province, info.district, *what)
    for key, entry in microplans.items():
        if key in in_scope:
            continue
        if places.info(entry.cluster_code) is not None:
            continue  # on the list, in a province outside this book
        province, district, _ = places.names(entry)
        add(province, district, "received", "valid" if entry.errors == 0 else "with_errors",
            "not_on_list")
    frame = pd.DataFrame(
        [{"province": names[key][0], "district": names[key][1],
          **{name: counts[key][name] for name in _COUNTS}} for key in sorted(names)],
        columns=[key for key, _ in SUMMARY_COLUMNS])
    for name in _COUNTS:
        frame[name] = frame[name].astype("Int64")
        if clusters is None and name in _LIST_COUNTS:
            frame[name] = pd.array([pd.NA] * len(frame), dtype="Int64")
    return frame


def province_summary(districts: pd.DataFrame) -> pd.DataFrame:
    """The district summary added up per province (the district column counts districts),
    with a last row for the whole book."""
    counts = [name for name in _COUNTS if name in districts]
    if districts.empty:
        frame = pd.DataFrame(columns=["province", "district", *counts])
    else:
        grouped = districts.groupby(districts["province"], sort=False)
        frame = grouped[counts].sum(min_count=1).reset_index()
        frame.insert(1, "district", grouped.size().to_numpy())
    total = {"province": "All", "district": len(districts),
             **{name: districts[name].sum(min_count=1) for name in counts}}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for name in ["district", *counts]:
        frame[name] = frame[name].astype("Int64")
    return frame


# --- feedback -------------------------------------------------------------------------------------

def normal_status(text: object) -> str:
    """A review status as typed, in its standard spelling when it is one ('accepted ' ->
    'Accepted'); other text stays as typed."""
    value = clean_text(text)
    for status in REVIEW_STATUSES:
        if value.casefold() == status.casefold():
            return status
    return value


def combine_notes(notes: Sequence[ReviewerNote]) -> dict[str, ReviewerNote]:
    """The notes by cluster; two rows typed for one cluster become one that keeps everything
    (other statuses and priorities are added to the comment)."""
    combined: dict[str, ReviewerNote] = {}
    for note in notes:
        key = code_key(note.cluster_code)
        if not key:
            continue
        status = normal_status(note.status)
        earlier = combined.get(key)
        if earlier is None:
            combined[key] = replace(note, status=status, comment=clean_text(note.comment),
                                    priority=clean_text(note.priority), extra=dict(note.extra))
            continue
        for header, value in note.extra.items():
            had = earlier.extra.get(header, "")
            if value and value != had:
                earlier.extra[header] = f"{had} | {value}" if had else value
        extra = [clean_text(note.comment)]
        if status and status not in (earlier.status, ReviewStatus.PENDING):
            if earlier.status in ("", ReviewStatus.PENDING):
                earlier.status = status
            else:
                extra.append(f"(also marked {status})")
        priority = clean_text(note.priority)
        if priority and priority != earlier.priority:
            if earlier.priority:
                extra.append(f"(also priority {priority})")
            else:
                earlier.priority = priority
        comments = [earlier.comment] if earlier.comment else []
        comments.extend(text for text in extra if text and text not in comments)
        earlier.comment = " | ".join(comments)
        earlier.last_received = max(earlier.last_received, note.last_received)
    return combined


@dataclass
class _Cluster:
    province: str
    district: str
    code: str
    name: str
    low_performing: bool | None


def feedback_rows(current: Sequence[Entry], clusters: ClusterList | None,
                  scope: Sequence[ClusterInfo], notes: Sequence[ReviewerNote],
                  places: _Places | None = None) -> list[FeedbackRow]:
    """One row per cluster: every cluster expected, every cluster received, and every cluster a
    reviewer wrote about before (nothing a reviewer typed is dropped). The reviewer's columns
    carry over; a cluster without a note is Pending."""
    places = places or _Places(clusters)
    knows_status = clusters is not None and clusters.knows_status
    typed = combine_notes(notes)
    microplans: dict[str, Entry] = {}
    plans: dict[str, Entry] = {}
    latest: dict[str, str] = {}
    for entry in current:
        key = code_key(entry.cluster_code)
        if not key:
            continue
        (microplans if entry.form_id == MICROPLAN.form_id else plans).setdefault(key, entry)
        latest[key] = max(latest.get(key, ""), entry.received)

    def listed(info: ClusterInfo) -> _Cluster:
        return _Cluster(info.province, info.district, info.code, info.name,
                        info.low_performing if knows_status else None)

    rows: dict[str, _Cluster] = {code_key(info.code): listed(info) for info in scope}
    for entry in current:
        key = code_key(entry.cluster_code)
        if key and key not in rows:
            info = places.info(entry.cluster_code)
            rows[key] = listed(info) if info is not None else _Cluster(
                entry.province, entry.district, entry.cluster_code, entry.cluster_name, None)
    for key, typed_note in typed.items():
        if key not in rows and typed_note.typed:
            info = places.info(typed_note.cluster_code)
            rows[key] = listed(info) if info is not None else _Cluster(
                typed_note.province, typed_note.district, typed_note.cluster_code,
                typed_note.cluster_name, None)
    feedback = []
    for key, cluster in rows.items():
        note = typed.get(key)
        received = latest.get(key, "")
        feedback.append(FeedbackRow(
            province=cluster.province, district=cluster.district, cluster_code=cluster.code,
            cluster_name=cluster.name,
            status=note.status if note and note.status else ReviewStatus.PENDING,
            comment=note.comment if note else "", priority=note.priority if note else "",
            low_performing=cluster.low_performing,
            microplan=_microplan_state(microplans.get(key)),
            action_plan=_plan_state(plans.get(key), cluster.low_performing),
            last_received=received,
            updated=bool(note and note.last_received and received > note.last_received),
            extra=dict(note.extra) if note else {}))
    feedback.sort(key=lambda r: (place_key(r.province), place_key(r.district),
                                 code_key(r.cluster_code)))
    # Notes typed on a row without a cluster code are kept, last, as they were typed.
    feedback.extend(FeedbackRow(note.province, note.district, "", note.cluster_name,
                                normal_status(note.status) or ReviewStatus.PENDING,
                                clean_text(note.comment),
                                clean_text(note.priority), None, "", "", "", False,
                                dict(note.extra))
                    for note in notes if not code_key(note.cluster_code) and note.typed)
    return feedback


def _microplan_state(entry: Entry | None) -> str:
    if entry is None:
        return "Not received"
    if entry.errors:
        return f"{entry.errors} error{'s' if entry.errors != 1 else ''}"
    return "Valid"


def _plan_state(entry: Entry | None, listed: bool | None) -> str:
    if entry is not None:
        return "Received"
    return "Missing" if listed else ""


__all__ = [
    "LEVELS",
    "PRIORITIES",
    "REVIEW_BOOK_ID",
    "REVIEW_BOOK_VERSION",
    "REVIEW_STATUSES",
    "SUMMARY_COLUMNS",
    "Entry",
    "FeedbackRow",
    "FileOutcome",
    "Level",
    "Replaced",
    "Review",
    "ReviewStatus",
    "ReviewerNote",
    "Source",
    "SourceRow",
    "combine_notes",
    "consolidate",
    "consolidated_forms",
    "count_findings",
    "district_summary",
    "entries_from_documents",
    "entries_of",
    "feedback_rows",
    "form_name",
    "group_of",
    "normal_status",
    "province_summary",
]
