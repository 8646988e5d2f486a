"""Reading filled forms from workbooks with python-calamine, through the form schema.

The reader only turns a workbook into grids of values (sheet by sheet, with merged ranges) and
the template mark; finding each value by its label or header, and saying what is wrong, is the
pure domain's job (:mod:`clusterbook.domain.submission`, :mod:`clusterbook.domain.checks`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.domain.findings import Finding
from clusterbook.domain.submission import (
    Document,
    Grid,
    Note,
    documents_from_workbook,
    identify_form,
    section_frames,
    split_groups,
)
from clusterbook.domain.values import CellError
from clusterbook.excel.intake import CheckedBook, Intake, guarded, open_intake, take
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
    findings: list[Finding] = field(default_factory=list)  # filled by check_submissions

    def frames(self, *, typed: bool = True) -> dict[str, pd.DataFrame]:
        """Every section as a DataFrame with provenance (file, sheet, row)."""
        return section_frames(self.documents, typed=typed)


def read_submission(source: Path | str | Intake, *, name: str | None = None) -> Submission:
    """Read a filled form workbook (a path, or a file the intake has taken: its bytes are
    used, never read again); raises WorkbookError (with a ``kind``) for a file that is not a
    readable form: damaged, empty, protected, not a template, an unknown version..."""
    intake = source if isinstance(source, Intake) else take(Path(source), name)
    if name:
        intake.name = name
    with guarded(intake.name):
        book = open_intake(intake)
        try:
            return submission_from_book(book, intake)
        finally:
            book.close()


def submission_from_book(book: CheckedBook, intake: Intake) -> Submission:
    """The filled forms of a workbook the intake has opened."""
    file = intake.name
    names = list(book.sheet_names)
    mark = None
    if FORM_SHEET in names:
        rows = _sheet_rows(book, FORM_SHEET, file)
        mark = (_cell(rows, FORM_ID_ROW, 2), _cell(rows, FORM_VERSION_ROW, 2))
    form, version, notes = identify_form(file, [n for n in names if n != FORM_SHEET], mark)
    groups = split_groups(form, names)
    wanted = {name for sheets in groups.values() for name in sheets.values()}
    if not groups or any(len(sheets) < len(form.sheets) for sheets in groups.values()):
        # A form sheet is missing: look at the other sheets too, it may have been renamed.
        wanted.update(name for name in names if not name.startswith("_"))
    grids = {name: _grid(book, name, file, intake) for name in names if name in wanted}
    documents = _documents(form, grids, file, version, notes)
    return Submission(intake.path, file, form, version, documents, intake.fingerprint,
                      intake.size, intake.modified)


def documents_from_sheets(file: str, sheets: Mapping[str, Sequence[Sequence[object]]]
                          ) -> tuple[Form, str, list[Document]]:
    """The form, its version and the filled forms of a workbook from the values of its sheets
    (rows from A1, sheets in the book's order, the hidden mark sheet included), as a book open
    in Excel gives them. Raises WorkbookError as :func:`read_submission` does."""
    mark_rows = sheets.get(FORM_SHEET)
    mark = None if mark_rows is None else (_cell(mark_rows, FORM_ID_ROW, 2),
                                           _cell(mark_rows, FORM_VERSION_ROW, 2))
    form, version, notes = identify_form(file, [name for name in sheets if name != FORM_SHEET],
                                         mark)
    grids = {name: Grid(name, rows) for name, rows in sheets.items() if name != FORM_SHEET}
    return form, version, _documents(form, grids, file, version, notes)


def _documents(form: Form, grids: Mapping[str, Grid], file: str, version: str,
               notes: list[Note]) -> list[Document]:
    documents = documents_from_workbook(form, grids, file=file, version=version)
    if notes and documents:
        documents[0].notes[:0] = notes
    return documents


def _sheet_rows(book: CheckedBook, name: str, file: str) -> list[list[object]]:
    return _read(book, name, file)[0]


def _grid(book: CheckedBook, name: str, file: str, intake: Intake) -> Grid:
    rows, merged = _read(book, name, file)
    for (row, column), text in intake.cell_errors.get(name, {}).items():
        # The reader shows a saved error value as an empty cell: put the error back.
        if row <= len(rows) and column <= len(rows[row - 1]) and rows[row - 1][column - 1] \
                in ("", None):
            rows[row - 1][column - 1] = CellError(text)
    return Grid(name, rows, merged=tuple((first[0] + 1, first[1] + 1, last[0] + 1, last[1] + 1)
                                         for first, last in merged))


def _read(book: CheckedBook, name: str, file: str
          ) -> tuple[list[list[object]], list[tuple[tuple[int, int], tuple[int, int]]]]:
    try:
        sheet = book.get_sheet_by_name(name)
        return sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []
    except WorkbookError:
        raise  # the intake's own check of the sheet says why
    except Exception as error:  # calamine raises plain errors for broken sheets
        text = str(error).strip().splitlines()
        raise WorkbookError(file, f"sheet '{name}' is damaged and cannot be read "
                                  f"({text[0] if text else type(error).__name__})",
                            kind=ErrorKind.DAMAGED) from None


def _cell(rows: Sequence[Sequence[object]], row: int, column: int) -> object:
    if row <= len(rows) and column <= len(rows[row - 1]):
        return rows[row - 1][column - 1]
    return None
