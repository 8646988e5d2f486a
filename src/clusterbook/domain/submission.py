"""A filled form as the checks see it: each section's values and the cell each came from.

Three producers make the same :class:`Document`, so that one set of checks serves them all:

- the file reader (``clusterbook.excel.forms_reader``) hands every sheet of a workbook over as a
  :class:`Grid` to :func:`documents_from_workbook`;
- a live check formula in Excel hands every section over as a block of cells laid out as
  ``clusterbook.forms.section_block`` says, to :func:`document_from_blocks`;
- the merge reads documents back as DataFrames with provenance (:func:`section_frames`).

Users change forms: they insert and delete rows, rename headers, merge cells, add sheets and
copy the sheet set to hold several clusters in one workbook. Values are found by their labels
and headers first and by the template's layout second; what was noticed on the way is kept as
:class:`Note` objects, which the checks turn into findings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Final

import pandas as pd

from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.domain.rule_registry import RuleId
from clusterbook.domain.typed_values import typed_value
from clusterbook.domain.values import clean_text, is_blank, is_only_spaces
from clusterbook.forms import (
    FORM_SHEET,
    FORMS,
    Field,
    Form,
    FormData,
    RecordSection,
    TableSection,
)
from clusterbook.forms.cells import cell_ref, column_letter, range_ref
from clusterbook.forms.schema import Section, section_block

#: How far below the template's header row a moved header is looked for.
HEADER_SEARCH_ROWS: Final = 60
#: Excel names a copied sheet 'Team (2)'; each such suffix is one more microplan in the book.
_COPY_SUFFIX: Final = re.compile(r"^(?P<base>.*?)\s*\((?P<number>\d+)\)$")
_NOT_ALNUM: Final = re.compile(r"[\W_]+", re.UNICODE)
_PARENTHESES: Final = re.compile(r"\([^)]*\)")

Block = tuple[int, int, int, int]  # first_row, first_column, last_row, last_column (1-based)


# --- where values came from -------------------------------------------------------------------

@dataclass(frozen=True)
class Grid:
    """The values of a sheet, or of a block of one, as rows of cells.

    ``first_row`` and ``first_column`` (1-based) say where the block's top-left cell sits on
    its sheet; ``merged`` lists merged ranges as blocks. Empty cells may be None or "".
    """

    sheet: str
    rows: Sequence[Sequence[object]]
    first_row: int = 1
    first_column: int = 1
    merged: tuple[Block, ...] = ()

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1

    @cached_property
    def last_column(self) -> int:
        width = max((len(row) for row in self.rows), default=0)
        return self.first_column + width - 1

    def value(self, row: int, column: int) -> object:
        """The value at a sheet row and column; None for an empty cell or outside the block."""
        r, c = row - self.first_row, column - self.first_column
        if 0 <= r < len(self.rows):
            cells = self.rows[r]
            if 0 <= c < len(cells):
                value = cells[c]
                return None if is_blank(value) else value
        return None

    def text(self, row: int, column: int) -> str:
        return clean_text(self.value(row, column))


def _unmerged(grid: Grid) -> tuple[Grid, list[Block]]:
    """The grid with the value of each merged range repeated down the range's rows.

    A name merged over three activity rows means the same person for each of them. Only the
    first column of a range is filled: a value merged across columns belongs to the first.
    """
    spans = [block for block in grid.merged if block[2] > block[0]]
    if not spans:
        return grid, []
    rows = [list(row) for row in grid.rows]
    filled: list[Block] = []
    for first_row, first_column, last_row, last_column in spans:
        value = grid.value(first_row, first_column)
        if value is None:
            continue
        c = first_column - grid.first_column
        while len(rows) < last_row - grid.first_row + 1:
            rows.append([])
        for row in range(first_row + 1, last_row + 1):
            r = row - grid.first_row
            if 0 <= r < len(rows) and c >= 0:
                cells = rows[r]
                cells.extend([None] * (c + 1 - len(cells)))
                cells[c] = value
        filled.append((first_row, first_column, last_row, last_column))
    return Grid(grid.sheet, rows, grid.first_row, grid.first_column, grid.merged), filled


@dataclass(frozen=True)
class Note:
    """Something the reader noticed about a form's layout; the checks say what it means.

    ``kind`` is the id of the rule that reports it.
    """

    kind: RuleId
    sheet: str = ""
    cell: str = ""
    value: str = ""
    section: str = ""
    field: str = ""
    detail: str = ""


@dataclass
class Record:
    """A record section as read: one value per field and the cell each came from."""

    section: RecordSection
    sheet: str
    values: dict[str, object]
    cells: dict[str, str]

    def cell(self, key: str) -> str:
        """Where a field's value is (or belongs, when its label was not found)."""
        return self.cells.get(key, "")


@dataclass
class Table:
    """A table section as read: its filled rows (values in field order) and their sheet rows."""

    section: TableSection
    sheet: str
    header_row: int
    columns: dict[str, int]  # field key -> 1-based column, for the fields whose column was found
    rows: list[list[object]]
    row_numbers: list[int]

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.section.fields]

    def values(self, key: str) -> list[object]:
        """One field's values, row by row."""
        position = self.keys.index(key)
        return [row[position] for row in self.rows]

    @property
    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame indexed by sheet row ('row'), one column per field."""
        return pd.DataFrame(self.rows, columns=self.keys, dtype=object,
                            index=pd.Index(self.row_numbers, name="row", dtype="int64"))

    def cell(self, key: str, row: int) -> str:
        column = self.columns.get(key)
        return cell_ref(row, column) if column else ""

    @property
    def first_cell(self) -> str:
        """The first entry cell, where a missing row belongs."""
        first = min(self.columns.values(), default=self.section.first_column)
        return cell_ref(self.header_row + 1, first)


@dataclass
class Document:
    """One filled form: a workbook holds one, or several when a district copied the sheets."""

    form: Form
    file: str = ""
    version: str = ""
    group: str = ""  # "" for the first microplan of a workbook, "(2)", "(3)"... for copies
    records: dict[str, Record] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def value(self, section: str, key: str) -> object:
        """A record field's value as typed (None when empty or the section is missing)."""
        record = self.records.get(section)
        return None if record is None else record.values.get(key)

    def sheet_of(self, section: str) -> str:
        """The sheet a section was read from (or would be, when it is missing)."""
        part = self.records.get(section) or self.tables.get(section)
        return part.sheet if part is not None else sheet_name(self.form.section(section).sheet,
                                                              self.group)

    @property
    def sheets(self) -> tuple[str, ...]:
        """The sheets this document was read from, in the form's order."""
        return tuple(dict.fromkeys(self.sheet_of(section.key) for section in self.form.sections))


# --- matching labels and headers ------------------------------------------------------------

def label_key(text: object) -> str:
    """A label reduced to letters and digits: 'Contact *' and 'contact:' -> 'contact'."""
    return _NOT_ALNUM.sub("", clean_text(text).casefold())


def _loose_key(text: object) -> str:
    """A label without its parenthesised parts: 'Timeline (date)' -> 'timeline'."""
    return _NOT_ALNUM.sub("", _PARENTHESES.sub("", clean_text(text)).casefold())


@lru_cache(maxsize=1024)
def _names(item: Field) -> tuple[frozenset[str], frozenset[str]]:
    texts = (item.label, *item.aliases)
    return (frozenset(label_key(text) for text in texts),
            frozenset(_loose_key(text) for text in texts))


def match_field(text: object, fields: Sequence[Field],
                taken: Container[str] = ()) -> Field | None:
    """The field a label or header names, exactly or without parenthesised parts; fields
    whose key is in ``taken`` are passed over."""
    if text is None or text == "":
        return None
    key, loose_key = _keys(text) if isinstance(text, str) else (label_key(text), "")
    if not key:
        return None
    exact, loose = _index(fields)
    found = exact.get(key)
    if found is None and loose_key:
        found = loose.get(loose_key)
    return None if found is None or found.key in taken else found


@lru_cache(maxsize=8192)
def _keys(text: str) -> tuple[str, str]:
    """A label's exact and loose keys (labels repeat from file to file)."""
    return label_key(text), _loose_key(text)


_INDEXES: dict[int, tuple[Sequence[Field], dict[str, Field], dict[str, Field]]] = {}


def _index(fields: Sequence[Field]) -> tuple[dict[str, Field], dict[str, Field]]:
    """Fields by their names and loose names (cached per tuple of fields)."""
    cached = _INDEXES.get(id(fields))
    if cached is not None and cached[0] is fields:
        return cached[1], cached[2]
    exact: dict[str, Field] = {}
    loose: dict[str, Field] = {}
    for item in fields:
        names = _names(item)
        for name in names[0]:
            exact.setdefault(name, item)
        for name in names[1]:
            if name:
                loose.setdefault(name, item)
    if isinstance(fields, tuple):
        _INDEXES[id(fields)] = (fields, exact, loose)
    return exact, loose


def _fallback_positions(fields: Sequence[Field], found: Mapping[str, int],
                        template: Mapping[str, int]) -> dict[str, int]:
    """Where each field not found by name probably is: next to its found neighbours."""
    guesses: dict[str, int] = {}
    keys = [item.key for item in fields]
    for index, key in enumerate(keys):
        if key in found:
            continue
        before = next(((j, found[keys[j]]) for j in range(index - 1, -1, -1)
                       if keys[j] in found), None)
        after = next(((j, found[keys[j]]) for j in range(index + 1, len(keys))
                      if keys[j] in found), None)
        if before is not None:
            guesses[key] = before[1] + index - before[0]
        elif after is not None:
            guesses[key] = after[1] - (after[0] - index)
        else:
            guesses[key] = template[key]
    return guesses


def _place_unmatched(fields: Sequence[Field], found: dict[str, int],
                     template: Mapping[str, int], texts: Mapping[int, str],
                     claimed: set[int]) -> list[tuple[Field, int, str]]:
    """Put fields not found by name at their likely position when nothing else sits there;
    returns (field, position, text found there) for each field placed that way."""
    placed = []
    guesses = _fallback_positions(fields, found, template)
    for item in fields:
        position = guesses.get(item.key)
        if position is None or position < 1 or position in claimed:
            continue
        found[item.key] = position
        claimed.add(position)
        placed.append((item, position, texts.get(position, "")))
    return placed


# --- reading one section ----------------------------------------------------------------------

def _read_record(section: RecordSection, grid: Grid, sheet: str, first_row: int,
                 last_row: int, notes: list[Note]) -> Record:
    label_column = section.label_column
    value_column = section.value_column
    found: dict[str, int] = {}
    texts: dict[int, str] = {}
    claimed: set[int] = set()
    for row in range(first_row, last_row + 1):
        text = grid.text(row, label_column)
        if not text:
            continue
        texts[row] = text
        item = match_field(text, section.fields, found)
        if item is not None:
            found[item.key] = row
            claimed.add(row)
    template = {item.key: section.row_of(item.key) for item in section.fields}
    for item, row, text in _place_unmatched(section.fields, found, template, texts, claimed):
        if text != item.label:
            notes.append(Note(RuleId.HEADER_RENAMED, sheet, cell_ref(row, label_column), text,
                              section.key, item.key, item.label))
    values: dict[str, object] = {}
    cells: dict[str, str] = {}
    for item in section.fields:
        row_found = found.get(item.key)
        if row_found is None:
            kind = RuleId.COLUMN_MISSING if item.required else RuleId.OPTIONAL_COLUMN_MISSING
            notes.append(Note(kind, sheet, cell_ref(template[item.key], label_column), "",
                              section.key, item.key, item.label))
            values[item.key] = None
            continue
        value = grid.value(row_found, value_column)
        values[item.key] = value
        cells[item.key] = cell_ref(row_found, value_column)
    return Record(section, sheet, values, cells)


def _header_score(section: TableSection, grid: Grid, row: int) -> int:
    taken: set[str] = set()
    for column in range(grid.first_column, grid.last_column + 1):
        item = match_field(grid.value(row, column), section.fields, taken)
        if item is not None:
            taken.add(item.key)
    return len(taken)


def _header_row(section: TableSection, grid: Grid, first_row: int,
                last_row: int) -> tuple[int, int]:
    """The row whose cells name most of the table's fields, nearest the template's header
    row; and how many fields it names."""
    expected = section.header_row
    best, best_score = expected, 0
    if first_row <= expected <= last_row:
        best_score = _header_score(section, grid, expected)
        if best_score == len(section.fields):
            return expected, best_score
    for row in range(first_row, min(last_row, expected + HEADER_SEARCH_ROWS) + 1):
        score = _header_score(section, grid, row) if row != expected else best_score
        if score > best_score or (score == best_score and score and
                                  abs(row - expected) < abs(best - expected)):
            best, best_score = row, score
    return best, best_score


def _read_table(section: TableSection, grid: Grid, sheet: str, first_row: int,
                last_row: int, notes: list[Note]) -> Table:
    fields = section.fields
    header_row, score = _header_row(section, grid, first_row, last_row)
    template = {item.key: section.column_index(item.key) for item in fields}
    found: dict[str, int] = {}
    texts: dict[int, str] = {}
    claimed: set[int] = set()
    if score >= max(2, math.ceil(len(fields) / 3)):
        for column in range(grid.first_column, grid.last_column + 1):
            text = grid.text(header_row, column)
            if not text:
                continue
            texts[column] = text
            item = match_field(text, fields, found)
            if item is not None:
                found[item.key] = column
                claimed.add(column)
        for item, column, text in _place_unmatched(fields, found, template, texts, claimed):
            if label_key(text) != label_key(item.label):
                notes.append(Note(RuleId.HEADER_RENAMED, sheet, cell_ref(header_row, column), text,
                                  section.key, item.key, item.label))
    else:
        header_row = section.header_row
        found = dict(template)
        claimed = set(found.values())
        notes.append(Note(RuleId.HEADER_MISSING, sheet, cell_ref(header_row, section.first_column),
                          "", section.key,
                          detail=", ".join(f"'{item.label}'" for item in fields)))
    for item in fields:
        if item.key not in found:
            kind = RuleId.COLUMN_MISSING if item.required else RuleId.OPTIONAL_COLUMN_MISSING
            notes.append(Note(kind, sheet, cell_ref(header_row, template[item.key]), "",
                              section.key, item.key, item.label))
    rows: list[list[object]] = []
    index: list[int] = []
    positions = [found.get(item.key) for item in fields]
    for row in range(header_row + 1, last_row + 1):
        values = [grid.value(row, column) if column else None for column in positions]
        if all(value is None for value in values):
            continue
        if all(value is None or is_only_spaces(value) for value in values):
            # A row 'cleared' with the space bar: not a row, but the spaces are reported.
            for item, position, value in zip(fields, positions, values, strict=True):
                if value is not None and position:
                    notes.append(Note(RuleId.ONLY_SPACES, sheet, cell_ref(row, position),
                                      str(value), section.key, item.key, item.label))
            continue
        rows.append(values)
        index.append(row)
    for column in range(grid.first_column, grid.last_column + 1):
        if column in claimed or not texts.get(column):
            continue
        if any(grid.value(row, column) is not None for row in index):
            notes.append(Note(RuleId.COLUMN_EXTRA, sheet, cell_ref(header_row, column),
                              texts[column], section.key))
    return Table(section, sheet, header_row, found, rows, index)


def _merged_notes(section: Section, sheet: str, filled: Sequence[Block], first_row: int,
                  grid: Grid) -> list[Note]:
    notes = []
    for block in filled:
        if block[2] < first_row:
            continue
        notes.append(Note(RuleId.MERGED_CELLS, sheet, range_ref(*block),
                          clean_text(grid.value(block[0], block[1])), section.key))
    return notes


# --- documents ------------------------------------------------------------------------------

def sheet_name(base: str, group: str) -> str:
    """The name of a form sheet in a group: ('Team', '(2)') -> 'Team (2)'."""
    return f"{base} {group}" if group else base


def read_sections(form: Form, grids: Mapping[str, Grid], *, file: str = "", version: str = "",
                  group: str = "", sheets: Mapping[str, str] | None = None) -> Document:
    """One document from the grids of its sheets (by sheet name).

    ``sheets`` maps a form sheet to the sheet it was found on when that differs (a renamed
    sheet); a form sheet without a grid is reported missing.
    """
    document = Document(form, file=file, version=version or form.version, group=group)
    for base in form.sheets:
        name = (sheets or {}).get(base) or sheet_name(base, group)
        grid = grids.get(name)
        sections = form.sections_on(base)
        if grid is None:
            document.notes.append(Note(RuleId.SHEET_MISSING, name, detail=base,
                                       section=sections[0].key))
            continue
        grid, filled = _unmerged(grid)
        _read_sheet(sections, grid, name, filled, document)
    return document


def _read_sheet(sections: Sequence[Section], grid: Grid, sheet: str, filled: Sequence[Block],
                document: Document) -> None:
    """Read the sections that share a sheet: tables first, so that a record above a table is
    looked for only above the table's header."""
    tables: dict[str, Table] = {}
    ordered = sorted(sections, key=lambda s: s.title_row)
    for section in ordered:
        if not isinstance(section, TableSection):
            continue
        tables[section.key] = _read_table(section, grid, sheet, grid.first_row, grid.last_row,
                                          document.notes)
        document.notes.extend(_merged_notes(section, sheet, filled,
                                            tables[section.key].header_row + 1, grid))
    document.tables.update(tables)
    for position, section in enumerate(ordered):
        if not isinstance(section, RecordSection):
            continue
        below = [tables[s.key].header_row for s in ordered[position + 1:] if s.key in tables]
        last_row = min(below) - 1 if below else grid.last_row
        record = _read_record(section, grid, sheet, grid.first_row, last_row, document.notes)
        document.records[section.key] = record
        value_cells = [
            block for block in filled
            if block[1] <= section.value_column <= block[3] and block[0] <= last_row]
        document.notes.extend(_merged_notes(section, sheet, value_cells, grid.first_row, grid))


def split_groups(form: Form, sheet_names: Sequence[str]) -> dict[str, dict[str, str]]:
    """The microplans in a workbook: group suffix -> {form sheet: sheet name}.

    Sheets named like the form's ('Team') make the first group; copies Excel names
    'Team (2)', 'Team (3)' make one group each. Sheets that are neither are left out.
    """
    bases = {label_key(base): base for base in form.sheets}
    groups: dict[str, dict[str, str]] = {}
    for name in sheet_names:
        base = bases.get(label_key(name))
        group = ""
        if base is None:
            match = _COPY_SUFFIX.match(name)
            if match:
                base = bases.get(label_key(match.group("base")))
                group = f"({int(match.group('number'))})"
        if base is not None:
            groups.setdefault(group, {}).setdefault(base, name)
    return dict(sorted(groups.items(), key=lambda item: _group_order(item[0])))


def _group_order(group: str) -> int:
    return int(group.strip("()")) if group else 1


def _renamed_sheets(form: Form, groups: dict[str, dict[str, str]],
                    grids: Mapping[str, Grid]) -> list[Note]:
    """Find a form sheet that was renamed by its title, when only one group misses it."""
    used = {name for sheets in groups.values() for name in sheets.values()}
    spare = [name for name in grids if name not in used and not name.startswith("_")]
    notes = []
    for base in form.sheets:
        missing = [group for group, sheets in groups.items() if base not in sheets]
        if len(missing) != 1:
            continue
        section = form.sections_on(base)[0]
        title = label_key(section.title)
        matches = [name for name in spare
                   if label_key(grids[name].value(section.title_row, 1)) == title]
        if len(matches) == 1:
            groups[missing[0]][base] = matches[0]
            spare.remove(matches[0])
            notes.append(Note(RuleId.SHEET_RENAMED, matches[0], cell_ref(section.title_row, 1),
                              matches[0], section.key, detail=sheet_name(base, missing[0])))
    return notes


def documents_from_workbook(form: Form, grids: Mapping[str, Grid], *, file: str = "",
                            version: str = "") -> list[Document]:
    """Every filled form in a workbook (one per copy of the sheet set), from its sheets' grids.

    Sheets that belong to no form sheet (notes, lists, the template's own hidden sheets) are
    left alone.
    """
    groups = split_groups(form, list(grids))
    if not groups:
        groups = {"": {}}
    renamed = _renamed_sheets(form, groups, grids)
    documents = []
    for group, sheets in groups.items():
        document = read_sections(form, grids, file=file, version=version, group=group,
                                 sheets=sheets)
        mine = set(sheets.values())
        document.notes[:0] = [note for note in renamed if note.sheet in mine]
        documents.append(document)
    return documents


#: The mark of a review book (the merge's output, and an input of a regional merge).
REVIEW_BOOK_ID: Final = "clusterbook-review"


def identify_form(file: str, sheet_names: Sequence[str],
                  mark: tuple[object, object] | None) -> tuple[Form, str, list[Note]]:
    """Which form a workbook is, from its hidden mark sheet (form id, version).

    A workbook without the mark whose sheets are all a form's sheets (a user copied them into
    a new book) is read as that form, with a note. Raises WorkbookError ``not-template`` or
    ``unknown-version`` otherwise.
    """
    if mark is not None:
        form_id, version = clean_text(mark[0]), clean_text(mark[1])
        form = FORMS.get(form_id)
        if form_id == REVIEW_BOOK_ID:
            raise WorkbookError(file, "this is a ClusterBook review book, not a district "
                                      "submission; validate checks submissions. Merge it with "
                                      "the other files: the merge takes from it only its own "
                                      "province's clusters", kind=ErrorKind.NOT_TEMPLATE)
        if form is None:
            raise WorkbookError(file, f"this workbook is not one of the ClusterBook templates "
                                      f"(its template mark says '{form_id}')",
                                kind=ErrorKind.NOT_TEMPLATE)
        if not form.reads(version):
            raise WorkbookError(file, _version_reason(form, version),
                                kind=ErrorKind.UNKNOWN_VERSION)
        return form, version, []
    for form in FORMS.values():
        groups = split_groups(form, sheet_names)
        if any(len(sheets) == len(form.sheets) for sheets in groups.values()):
            return form, form.version, [Note(RuleId.FORM_MARK_MISSING, detail=form.title)]
    listed = ", ".join(f"'{name}'" for name in sheet_names[:6]) or "none"
    raise WorkbookError(file, f"this workbook is not one of the ClusterBook templates (no "
                              f"'{FORM_SHEET}' mark, and its sheets {listed} are not a form's "
                              f"sheets); fill the template and send that",
                        kind=ErrorKind.NOT_TEMPLATE)


def _version_reason(form: Form, version: str) -> str:
    known = ", ".join((form.version, *form.readable_versions))
    if not version:
        return f"the {form.title} template mark has no version; fill a fresh template"
    newer = _version_tuple(version) > _version_tuple(form.version)
    hint = ("update ClusterBook to read it" if newer
            else "copy the values into the current template")
    return (f"this is version {version} of the {form.title} template, which this ClusterBook "
            f"does not know (it reads {known}); {hint}")


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def document_from_blocks(form: Form, blocks: Sequence[Sequence[Sequence[object]] | None], *,
                         file: str = "", sheets: Sequence[str] | None = None,
                         origins: Sequence[tuple[int, int] | None] | None = None) -> Document:
    """A document from Excel-shaped blocks, one per section in the order of ``form.sections``.

    Each block is a list of rows (None for empty cells, floats for numbers, datetimes for
    dates) laid out as ``section_block(section)`` says; its cells are named by that layout, or
    by ``origins`` (the block's top-left row and column) when given. ``sheets`` names the sheet
    of each block (default: the form's). A missing block (None) counts as a missing sheet.
    """
    if len(blocks) != len(form.sections):
        raise ValueError(f"{form.form_id} has {len(form.sections)} sections, "
                         f"got {len(blocks)} blocks")
    document = Document(form, file=file, version=form.version)
    by_sheet: dict[str, list[tuple[Section, Grid]]] = {}
    for position, (section, rows) in enumerate(zip(form.sections, blocks, strict=True)):
        sheet = sheets[position] if sheets else section.sheet
        if rows is None:
            document.notes.append(Note(RuleId.SHEET_MISSING, sheet, detail=section.sheet,
                                       section=section.key))
            continue
        first_row, first_column = section_block(section)[:2]
        origin = origins[position] if origins else None
        if origin is not None:
            first_row, first_column = origin
        grid = Grid(sheet, [list(row) for row in rows], first_row, first_column)
        by_sheet.setdefault(sheet, []).append((section, grid))
    for sheet, parts in by_sheet.items():
        for section, grid in parts:
            if isinstance(section, TableSection):
                document.tables[section.key] = _read_table(
                    section, grid, sheet, grid.first_row, grid.last_row, document.notes)
            else:
                document.records[section.key] = _read_record(
                    section, grid, sheet, grid.first_row, grid.last_row, document.notes)
    return document


def blocks_from_data(data: FormData) -> list[list[list[object]]]:
    """The Excel-shaped blocks of a filled form, as a live check formula passes them: one per
    section in the order of ``form.sections``, laid out as ``section_block`` says (labels and
    headers as in the template, None for empty cells)."""
    blocks: list[list[list[object]]] = []
    for section in data.form.sections:
        first_row, first_column, last_row, last_column = section_block(section)
        width = last_column - first_column + 1
        block: list[list[object]] = [[None] * width for _ in range(last_row - first_row + 1)]
        if isinstance(section, RecordSection):
            values = data.records.get(section.key, {})
            for item in section.fields:
                row = section.row_of(item.key) - first_row
                block[row][section.label_column - first_column] = item.label
                block[row][section.value_column - first_column] = values.get(item.key)
        else:
            block[0] = [item.label for item in section.fields]
            for offset, entry in enumerate(data.tables.get(section.key, []), start=1):
                block[offset] = [entry.get(item.key) for item in section.fields]
        blocks.append(block)
    return blocks


# --- for the merge -----------------------------------------------------------------------------

PROVENANCE: Final = ("file", "sheet", "row")


def section_frames(documents: Iterable[Document], *, typed: bool = True
                   ) -> dict[str, pd.DataFrame]:
    """Every section of every document as one DataFrame per section key, with provenance.

    Columns: file, sheet, row (the sheet row; for a record, the row of its first value), then
    one column per field. With ``typed``, counts, numbers and dates are read as the values they
    show when they can be; other values stay as typed.
    """
    parts: dict[str, list[dict[str, object]]] = {}
    keys: dict[str, list[str]] = {}
    for document in documents:
        for section in document.form.sections:
            keys.setdefault(section.key, [item.key for item in section.fields])
            convert = {item.key: item for item in section.fields}
            rows = parts.setdefault(section.key, [])
            if isinstance(section, RecordSection):
                record = document.records.get(section.key)
                if record is None:
                    continue
                first = min((int(re.sub(r"\D", "", cell)) for cell in record.cells.values()),
                            default=section.first_row)
                row: dict[str, object] = {"file": document.file, "sheet": record.sheet,
                                          "row": first}
                for key, value in record.values.items():
                    row[key] = typed_value(convert[key], value) if typed else value
                rows.append(row)
            else:
                table = document.tables.get(section.key)
                if table is None:
                    continue
                for sheet_row, values in zip(table.row_numbers, table.rows, strict=True):
                    entry: dict[str, object] = {"file": document.file, "sheet": table.sheet,
                                                "row": sheet_row}
                    for key, value in zip(table.keys, values, strict=True):
                        entry[key] = typed_value(convert[key], value) if typed else value
                    rows.append(entry)
    return {key: pd.DataFrame(rows, columns=[*PROVENANCE, *keys[key]], dtype=object)
            for key, rows in parts.items()}


def as_date(value: object) -> dt.date | None:
    """A date value as a date (datetimes lose their time of day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


__all__ = ["PROVENANCE", "Document", "Grid", "Note", "Record", "Table", "as_date",
           "blocks_from_data", "column_letter", "document_from_blocks",
           "documents_from_workbook", "identify_form", "label_key", "match_field",
           "read_sections", "section_frames", "sheet_name", "split_groups"]
