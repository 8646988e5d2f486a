"""Reading one section of a form from a sheet's grid: a record by its labels, a table by its
header row, each found where users moved them; what was noticed on the way becomes notes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from clusterbook.domain.rule_registry import RuleId
from clusterbook.domain.submission.labels import label_key, match_field, place_unmatched
from clusterbook.domain.submission.model import Block, Grid, Note, Record, Table
from clusterbook.domain.values import clean_text, is_only_spaces
from clusterbook.forms import (
    RecordSection,
    TableSection,
)
from clusterbook.forms.cells import cell_ref, range_ref
from clusterbook.forms.schema import Section

#: How far below the template's header row a moved header is looked for.
HEADER_SEARCH_ROWS: Final = 60


def read_record(section: RecordSection, grid: Grid, sheet: str, first_row: int,
                last_row: int, notes: list[Note]) -> Record:
    """A record section from the rows of a grid, its fields found by their labels."""
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
    for item, row, text in place_unmatched(section.fields, found, template, texts, claimed):
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


def read_table(section: TableSection, grid: Grid, sheet: str, first_row: int,
               last_row: int, notes: list[Note]) -> Table:
    """A table section from the rows of a grid, its columns found by its header row."""
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
        for item, column, text in place_unmatched(fields, found, template, texts, claimed):
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


def merged_notes(section: Section, sheet: str, filled: Sequence[Block], first_row: int,
                 grid: Grid) -> list[Note]:
    """A note for each block of cells merged over several rows (from ``first_row``)."""
    notes = []
    for block in filled:
        if block[2] < first_row:
            continue
        notes.append(Note(RuleId.MERGED_CELLS, sheet, range_ref(*block),
                          clean_text(grid.value(block[0], block[1])), section.key))
    return notes
