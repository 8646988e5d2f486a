"""How a form is described, once: fields, kinds, sheets, cell layout, template version.

The template builder writes a workbook from a :class:`Form`; the reader finds values through it;
the validator checks them against it; the merge names its columns after it; the docs list it.
Nothing here imports an Excel library: a form is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from clusterbook.forms.cells import cell_ref, column_letter

#: The hidden sheet that records which form and version a workbook is.
FORM_SHEET: Final = "_clusterbook"
#: Its rows: (label in column A, value in column B).
FORM_ID_ROW: Final = 1
FORM_VERSION_ROW: Final = 2


class Kind(StrEnum):
    """What a field holds; decides the validation in Excel and in the validator."""

    TEXT = "text"
    COUNT = "count"  # a whole number of zero or more ("1,234" reads as 1234)
    NUMBER = "number"
    PERCENT = "percent"  # 0 to 100
    DATE = "date"
    CHOICE = "choice"  # one of ``choices``
    PHONE = "phone"  # 7 to 15 digits, with +, spaces and dashes allowed


@dataclass(frozen=True)
class Field:
    """One value a user enters."""

    key: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""  # the input message Excel shows on the cell, in plain words
    width: float = 16.0
    aliases: tuple[str, ...] = ()  # other header texts users rename columns to
    default: float | str | None = None  # what a blank template holds in the cell


class RowsUnderHeader:
    """Entry rows under a header row: ``rows`` of them, starting just below it."""

    header_row: int
    rows: int

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def last_data_row(self) -> int:
        return self.header_row + self.rows


@dataclass(frozen=True)
class RecordSection:
    """One record laid out down a sheet: a label cell, then its value cell to the right."""

    key: str
    title: str
    sheet: str
    fields: tuple[Field, ...]
    number: int | None = None  # the section number on the paper form
    title_row: int = 1
    first_row: int = 3
    label_column: int = 1
    value_column: int = 2

    def row_of(self, key: str) -> int:
        """The sheet row of a field."""
        for offset, item in enumerate(self.fields):
            if item.key == key:
                return self.first_row + offset
        raise KeyError(f"section {self.key} has no field {key!r}")

    def cell(self, key: str) -> str:
        """The A1 cell where a field's value is typed, e.g. 'B5'."""
        return cell_ref(self.row_of(key), self.value_column)

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.fields) - 1


@dataclass(frozen=True)
class TableSection(RowsUnderHeader):
    """Rows of records under a header row; users may add rows beyond ``rows``."""

    key: str
    title: str
    sheet: str
    fields: tuple[Field, ...]
    number: int | None = None
    title_row: int = 1
    header_row: int = 4
    rows: int = 30  # entry rows formatted in the template
    first_column: int = 1
    #: False leaves the sheet unprotected, so that a whole export (header row included) can
    #: be pasted over the table and columns added.
    protect: bool = True
    #: Whether users may type rows below the formatted ones (False: the table has a fixed
    #: room, as when formulas elsewhere cover exactly ``rows`` rows).
    extendable: bool = True

    def column_index(self, key: str) -> int:
        """1-based column of a field in the template's layout."""
        for offset, item in enumerate(self.fields):
            if item.key == key:
                return self.first_column + offset
        raise KeyError(f"section {self.key} has no field {key!r}")

    def column(self, key: str) -> str:
        """The column letter of a field in the template's layout, e.g. 'C'."""
        return column_letter(self.column_index(key))


Section = RecordSection | TableSection


@dataclass(frozen=True)
class Form:
    """A standard template: its identity, version and sections."""

    form_id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    instructions: tuple[str, ...] = ()
    #: Older versions the reader still accepts (same layout).
    readable_versions: tuple[str, ...] = field(default=())
    #: The add-in function that checks a filled form live, called on a 'Checks' sheet with the
    #: blocks of :func:`section_block` in section order; "" when the form has none.
    live_check: str = ""
    #: Where a filled form names its cluster: (section key, field key). A table's field means
    #: one form covers several clusters, one per row (an action plan). None: not a district
    #: submission, so it is not consolidated.
    cluster_field: tuple[str, str] | None = None
    #: The date fields that date a submission, as (section key, field key); the latest one
    #: filled counts (a sign-off date, the date a plan was prepared).
    dated_by: tuple[tuple[str, str], ...] = ()
    #: What many of these forms are called, e.g. 'Microplans'.
    plural: str = ""

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"form {self.form_id} has no section {key!r}")

    @property
    def sheets(self) -> tuple[str, ...]:
        """The data sheets, in order, each once."""
        return tuple(dict.fromkeys(section.sheet for section in self.sections))

    def sections_on(self, sheet: str) -> tuple[Section, ...]:
        return tuple(section for section in self.sections if section.sheet == sheet)

    def reads(self, version: str) -> bool:
        """True when this tool can read the given template version."""
        return version == self.version or version in self.readable_versions


#: How many rows of each table a live check formula passes (header row included).
LIVE_CHECK_ROWS: Final = 500


def section_block(section: Section) -> tuple[int, int, int, int]:
    """The block (first_row, first_column, last_row, last_column), 1-based, that describes a
    section in the template's layout: a record's label and value columns, or a table's header
    row and the :data:`LIVE_CHECK_ROWS` rows below it. Live check formulas pass these blocks,
    in the order of ``form.sections``."""
    if isinstance(section, RecordSection):
        return (section.first_row, section.label_column, section.last_row, section.value_column)
    last_column = section.first_column + len(section.fields) - 1
    return (section.header_row, section.first_column, section.header_row + LIVE_CHECK_ROWS,
            last_column)


@dataclass
class FormData:
    """The plain values of one filled form: what a builder writes and a sample generator makes.

    ``records`` maps a record section's key to {field key: value}; ``tables`` maps a table
    section's key to its rows, each {field key: value}. Values are what a user would type:
    text, numbers, dates (``datetime.date``), or None for an empty cell.
    """

    form: Form
    records: dict[str, dict[str, object]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, object]]] = field(default_factory=dict)
