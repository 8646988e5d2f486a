"""Filled forms as the blocks of cells a live check formula in Excel passes, and back."""

from __future__ import annotations

from collections.abc import Sequence

from clusterbook.domain.rule_registry import RuleId
from clusterbook.domain.submission.model import Document, Grid, Note
from clusterbook.domain.submission.sections import read_record, read_table
from clusterbook.forms import (
    Form,
    FormData,
    RecordSection,
    TableSection,
)
from clusterbook.forms.schema import Section, section_block


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
                document.tables[section.key] = read_table(
                    section, grid, sheet, grid.first_row, grid.last_row, document.notes)
            else:
                document.records[section.key] = read_record(
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
