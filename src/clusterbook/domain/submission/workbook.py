"""Which form a workbook is, and every filled form in it (one per copy of the sheet set)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.domain.rule_registry import RuleId
from clusterbook.domain.submission.labels import label_key
from clusterbook.domain.submission.model import (
    Block,
    Document,
    Grid,
    Note,
    Table,
    sheet_name,
    unmerged,
)
from clusterbook.domain.submission.sections import merged_notes, read_record, read_table
from clusterbook.domain.values import clean_text
from clusterbook.forms import (
    FORM_SHEET,
    FORMS,
    Form,
    RecordSection,
    TableSection,
)
from clusterbook.forms.cells import cell_ref
from clusterbook.forms.schema import Section

#: Excel names a copied sheet 'Team (2)'; each such suffix is one more microplan in the book.
_COPY_SUFFIX: Final = re.compile(r"^(?P<base>.*?)\s*\((?P<number>\d+)\)$")


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
        grid, filled = unmerged(grid)
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
        tables[section.key] = read_table(section, grid, sheet, grid.first_row, grid.last_row,
                                         document.notes)
        document.notes.extend(merged_notes(section, sheet, filled,
                                           tables[section.key].header_row + 1, grid))
    document.tables.update(tables)
    for position, section in enumerate(ordered):
        if not isinstance(section, RecordSection):
            continue
        below = [tables[s.key].header_row for s in ordered[position + 1:] if s.key in tables]
        last_row = min(below) - 1 if below else grid.last_row
        record = read_record(section, grid, sheet, grid.first_row, last_row, document.notes)
        document.records[section.key] = record
        value_cells = [
            block for block in filled
            if block[1] <= section.value_column <= block[3] and block[0] <= last_row]
        document.notes.extend(merged_notes(section, sheet, value_cells, grid.first_row, grid))


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
