"""A filled form as the checks see it: each section's values and the cell each came from,
and the grids of cells they are read from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from clusterbook.domain.rule_registry import RuleId
from clusterbook.domain.values import clean_text, is_blank
from clusterbook.forms import (
    Form,
    RecordSection,
    TableSection,
)
from clusterbook.forms.cells import cell_ref

Block = tuple[int, int, int, int]  # first_row, first_column, last_row, last_column (1-based)


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


def unmerged(grid: Grid) -> tuple[Grid, list[Block]]:
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


def sheet_name(base: str, group: str) -> str:
    """The name of a form sheet in a group: ('Team', '(2)') -> 'Team (2)'."""
    return f"{base} {group}" if group else base
