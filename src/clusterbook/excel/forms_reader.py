"""Reading filled forms from workbooks with python-calamine, through the form schema.

The reader only turns a workbook into grids of values (sheet by sheet, with merged ranges) and
the template mark; finding each value by its label or header, and saying what is wrong, is the
pure domain's job (:mod:`clusterbook.domain.submission`, :mod:`clusterbook.domain.checks`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clusterbook.domain.errors import WorkbookError
from clusterbook.domain.findings import Finding
from clusterbook.domain.submission import (
    Document,
    Grid,
    documents_from_workbook,
    identify_form,
    section_frames,
)
from clusterbook.excel.read import open_workbook
from clusterbook.forms import FORM_SHEET, Form
from clusterbook.forms.schema import FORM_ID_ROW, FORM_VERSION_ROW


@dataclass
class Submission:
    """A workbook read as one or more filled forms (several when a district copied the sheet
    set, one per cluster)."""

    path: Path
    file: str  # the name findings use: the file name, or a longer path when names clash
    form: Form
    version: str
    documents: list[Document]
    sha256: str = ""
    size: int = 0
    modified: float = 0.0
    findings: list[Finding] = field(default_factory=list)  # filled by check_submission

    def frames(self, *, typed: bool = True) -> dict[str, pd.DataFrame]:
        """Every section as a DataFrame with provenance (file, sheet, row)."""
        return section_frames(self.documents, typed=typed)


def read_submission(path: Path | str, *, name: str | None = None) -> Submission:
    """Read a filled form workbook; raises WorkbookError (with a ``kind``) for a file that is
    not a readable form: damaged, empty, protected, not a template, an unknown version..."""
    path = Path(path)
    file = name or path.name
    grids, mark = read_grids(path, file=file)
    form, version, notes = identify_form(file, list(grids), mark)
    documents = documents_from_workbook(form, grids, file=file, version=version)
    if notes and documents:
        documents[0].notes[:0] = notes
    raw = path.read_bytes()
    stat = path.stat()
    return Submission(path, file, form, version, documents, hashlib.sha256(raw).hexdigest(),
                      stat.st_size, stat.st_mtime)


def read_grids(path: Path, *, file: str = "") -> tuple[dict[str, Grid],
                                                       tuple[object, object] | None]:
    """Every worksheet's values (with merged ranges) and the template mark (form id, version),
    None when the workbook has no mark sheet."""
    file = file or path.name
    book = open_workbook(path)
    try:
        grids: dict[str, Grid] = {}
        mark: tuple[object, object] | None = None
        for name in book.sheet_names:
            try:
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
            except Exception as error:  # calamine raises plain errors for broken sheets
                raise WorkbookError(file, f"sheet '{name}' is damaged and cannot be read "
                                          f"({str(error).strip().splitlines()[0] if str(error) else type(error).__name__})",
                                    kind="damaged") from None
            if name == FORM_SHEET:
                mark = (_cell(rows, FORM_ID_ROW, 2), _cell(rows, FORM_VERSION_ROW, 2))
                continue
            grids[name] = Grid(name, rows, merged=tuple(
                (first[0] + 1, first[1] + 1, last[0] + 1, last[1] + 1)
                for first, last in merged))
        return grids, mark
    finally:
        book.close()


def _cell(rows: list[list[object]], row: int, column: int) -> object:
    if row <= len(rows) and column <= len(rows[row - 1]):
        return rows[row - 1][column - 1]
    return None
