"""A workbook file standing in for the book ``xlwings.Book.caller()`` returns in Excel.

Only the members the buttons use, over a real workbook loaded with openpyxl, behaving as Excel
does where it matters: values come back as Excel gives them (numbers as floats, dates as
datetimes, None for empty cells and for formulas, which are not calculated here); a text
written with a leading apostrophe is kept as text without it; changing a cell's fill on a
sheet protected against formatting fails, as it does in Excel; unprotecting a sheet protected
with a password fails. ``save`` writes the result, to be reopened or rendered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

#: Excel's protection settings and the openpyxl attribute that forbids each when True.
ALLOWANCES = {
    "AllowFormattingCells": "formatCells", "AllowFormattingColumns": "formatColumns",
    "AllowFormattingRows": "formatRows", "AllowInsertingColumns": "insertColumns",
    "AllowInsertingRows": "insertRows", "AllowInsertingHyperlinks": "insertHyperlinks",
    "AllowDeletingColumns": "deleteColumns", "AllowDeletingRows": "deleteRows",
    "AllowSorting": "sort", "AllowFiltering": "autoFilter",
    "AllowUsingPivotTables": "pivotTables",
}


class ExcelRefused(Exception):
    """What Excel raises (a COM error) when it refuses a change."""


def excel_value(cell: Any) -> Any:
    """A cell's value as Excel gives it (formulas, not calculated here, as None)."""
    value = cell.value
    if cell.data_type == "f" or isinstance(value, ArrayFormula):
        return None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return value or None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


class _Protection:
    def __init__(self, sheet: openpyxl.worksheet.worksheet.Worksheet):
        object.__setattr__(self, "_sheet", sheet)

    def __getattr__(self, name: str) -> bool:
        return not getattr(self._sheet.protection, ALLOWANCES[name])


class _PageSetup:
    """Excel's PageSetup members for orientation and fitting to pages."""

    def __init__(self, sheet: openpyxl.worksheet.worksheet.Worksheet):
        object.__setattr__(self, "_sheet", sheet)

    def __setattr__(self, name: str, value: Any) -> None:
        sheet = self._sheet
        if name == "Orientation":
            sheet.page_setup.orientation = "landscape" if value == 2 else "portrait"
        elif name == "Zoom":
            sheet.sheet_properties.pageSetUpPr.fitToPage = value is False
        elif name == "FitToPagesWide":
            sheet.page_setup.fitToWidth = value
        elif name == "FitToPagesTall":
            sheet.page_setup.fitToHeight = 0 if value is False else value
        else:
            raise AttributeError(name)


class SheetApi:
    """The protection and page set-up members of Excel's Worksheet object."""

    def __init__(self, sheet: openpyxl.worksheet.worksheet.Worksheet):
        self._sheet = sheet
        self.Protection = _Protection(sheet)
        self.PageSetup = _PageSetup(sheet)
        self.calls: list[str] = []

    @property
    def ProtectContents(self) -> bool:
        return bool(self._sheet.protection.sheet)

    @property
    def ProtectDrawingObjects(self) -> bool:
        return bool(self._sheet.protection.objects)

    @property
    def ProtectScenarios(self) -> bool:
        return bool(self._sheet.protection.scenarios)

    def Unprotect(self, Password: str = "") -> None:
        self.calls.append("Unprotect")
        if self._sheet.protection.password and not Password:
            raise ExcelRefused("The password you supplied is not correct.")
        self._sheet.protection.sheet = False

    def Protect(self, Password: str = "", DrawingObjects: bool = True, Contents: bool = True,
                Scenarios: bool = True, **allowed: bool) -> None:
        self.calls.append("Protect")
        protection = self._sheet.protection
        protection.sheet, protection.objects = Contents, DrawingObjects
        protection.scenarios = Scenarios
        for name, attribute in ALLOWANCES.items():
            setattr(protection, attribute, not allowed.get(name, False))


class _RangeApi:
    """The members of Excel's Range object the buttons use."""

    def __init__(self, rng: Range):
        self._range = rng

    @property
    def EntireColumn(self) -> _RangeApi:
        return self

    @property
    def Hidden(self) -> bool:
        return all(self._range.sheet.ws.column_dimensions[letter].hidden
                   for letter in self._range.letters())

    @Hidden.setter
    def Hidden(self, value: bool) -> None:
        for letter in self._range.letters():
            self._range.sheet.ws.column_dimensions[letter].hidden = value

    @property
    def VerticalAlignment(self) -> int:
        return -4160 if self._range.cells()[0].alignment.vertical == "top" else -4107

    @VerticalAlignment.setter
    def VerticalAlignment(self, value: int) -> None:
        assert value == -4160, "only xlTop is used"
        for cell in self._range.cells():
            cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")


class _Font:
    def __init__(self, rng: Range):
        self._range = rng

    def _set(self, **change: Any) -> None:
        for cell in self._range.cells():
            old = cell.font
            cell.font = Font(name=old.name, size=old.sz, italic=old.i, **{
                "bold": old.b, "color": old.color, **change})

    @property
    def bold(self) -> bool:
        return bool(self._range.cells()[0].font.bold)

    @bold.setter
    def bold(self, value: bool) -> None:
        self._set(bold=value)

    @property
    def color(self) -> str:
        return str(self._range.cells()[0].font.color.rgb)

    @color.setter
    def color(self, value: str) -> None:
        self._set(color=value.lstrip("#").upper())


class _Rows:
    def __init__(self, rng: Range):
        self._range = rng

    def autofit(self) -> None:
        """Fit each row's height to its wrapped text, about as Excel does (15 points a line)."""
        ws = self._range.sheet.ws
        left, top, right, bottom = self._range.bounds()
        for row in range(top, bottom + 1):
            lines = 1
            for column in range(left, right + 1):
                cell = ws.cell(row=row, column=column)
                width = ws.column_dimensions[get_column_letter(column)].width or 8.43
                if cell.alignment.wrap_text and isinstance(cell.value, str):
                    lines = max(lines, -(-len(cell.value) // int(width * 1.1)))
            ws.row_dimensions[row].height = 15 * lines + 2


class Range:
    def __init__(self, sheet: Sheet, address: str):
        self.sheet, self.address = sheet, address.replace("$", "")

    def bounds(self) -> tuple[int, int, int, int]:
        """min_col, min_row, max_col, max_row."""
        left, top, right, bottom = range_boundaries(self.address)
        return left, top or 1, right, bottom or max(self.sheet.ws.max_row, 1)

    def letters(self) -> list[str]:
        left, _, right, _ = self.bounds()
        return [get_column_letter(c) for c in range(left, right + 1)]

    def cells(self) -> list[Any]:
        left, top, right, bottom = self.bounds()
        return [self.sheet.ws.cell(row=r, column=c) for r in range(top, bottom + 1)
                for c in range(left, right + 1)]

    @property
    def row(self) -> int:
        return self.bounds()[1]

    @property
    def column(self) -> int:
        return self.bounds()[0]

    def options(self, ndim: int | None = None, **_: Any) -> Range:
        return self

    @property
    def value(self) -> Any:
        left, top, right, bottom = self.bounds()
        rows = [[excel_value(self.sheet.ws.cell(row=r, column=c))
                 for c in range(left, right + 1)] for r in range(top, bottom + 1)]
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @value.setter
    def value(self, rows: Any) -> None:
        assert isinstance(rows, list) and rows and isinstance(rows[0], list)
        assert len({len(row) for row in rows}) == 1, "xlwings refuses rows of unequal length"
        left, top, _, _ = self.bounds()
        for r, line in enumerate(rows):
            for c, value in enumerate(line):
                cell = self.sheet.ws.cell(row=top + r, column=left + c)
                if isinstance(value, str) and value.startswith("'"):
                    cell.value, cell.quotePrefix = value[1:], True
                    cell.data_type = "s"
                else:
                    cell.value = value

    @property
    def color(self) -> tuple[int, int, int] | None:
        fill = self.cells()[0].fill
        if fill is None or fill.fill_type != "solid":
            return None
        rgb = str(fill.start_color.rgb)[-6:]
        return int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16)

    @color.setter
    def color(self, value: str | tuple[int, int, int] | None) -> None:
        protection = self.sheet.ws.protection
        if protection.sheet and protection.formatCells:
            raise ExcelRefused("Unable to set the Color property of the Interior class")
        if isinstance(value, tuple):
            value = "#" + "".join(f"{part:02x}" for part in value)
        for cell in self.cells():
            cell.fill = PatternFill() if value is None else PatternFill(
                "solid", start_color=value.lstrip("#").upper(),
                end_color=value.lstrip("#").upper())
        self.sheet.book.fills_set += len(self.cells())

    @property
    def column_width(self) -> float:
        return self.sheet.ws.column_dimensions[self.letters()[0]].width

    @column_width.setter
    def column_width(self, value: float) -> None:
        for letter in self.letters():
            self.sheet.ws.column_dimensions[letter].width = value

    @property
    def wrap_text(self) -> bool:
        return bool(self.cells()[0].alignment.wrap_text)

    @wrap_text.setter
    def wrap_text(self, value: bool) -> None:
        for cell in self.cells():
            cell.alignment = Alignment(wrap_text=value, vertical="top")

    @property
    def font(self) -> _Font:
        return _Font(self)

    @property
    def rows(self) -> _Rows:
        return _Rows(self)

    @property
    def api(self) -> _RangeApi:
        return _RangeApi(self)


class Sheet:
    def __init__(self, book: OpenpyxlBook, ws: openpyxl.worksheet.worksheet.Worksheet):
        self.book, self.ws = book, ws
        self.api = SheetApi(ws)

    @property
    def name(self) -> str:
        return self.ws.title

    @property
    def used_range(self) -> Range:
        return Range(self, f"A1:{get_column_letter(max(self.ws.max_column, 1))}"
                           f"{max(self.ws.max_row, 1)}")

    def range(self, address: str) -> Range:
        return Range(self, address)

    def clear(self) -> None:
        for row in self.ws.iter_rows():
            for cell in row:
                cell.value = None
                cell.style = "Normal"

    def activate(self) -> None:
        self.book.wb.active = self.book.wb.worksheets.index(self.ws)
        for other in self.book.wb.worksheets:
            other.sheet_view.tabSelected = other is self.ws


class Sheets:
    def __init__(self, book: OpenpyxlBook):
        self.book = book

    def _all(self) -> list[Sheet]:
        return [self.book.sheet(ws) for ws in self.book.wb.worksheets]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self.book.wb.worksheets)

    def __getitem__(self, key: str | int) -> Sheet:
        if isinstance(key, str):
            return self.book.sheet(self.book.wb[key])
        return self._all()[key]

    def add(self, name: str, after: Sheet) -> Sheet:
        position = self.book.wb.worksheets.index(after.ws) + 1
        return self.book.sheet(self.book.wb.create_sheet(name, position))


class OpenpyxlBook:
    """The book that pressed the button, over a workbook file."""

    def __init__(self, path: Path, name: str | None = None):
        self.wb = openpyxl.load_workbook(path, rich_text=False)
        self.name = name or path.name
        self.sheets = Sheets(self)
        self.app = self
        self.alerts: list[tuple[str, str]] = []
        self.fills_set = 0
        self._sheets: dict[int, Sheet] = {}

    def sheet(self, ws: Any) -> Sheet:
        return self._sheets.setdefault(id(ws), Sheet(self, ws))

    def alert(self, prompt: str, title: str, mode: str) -> None:
        self.alerts.append((title, prompt))

    def save(self, path: Path) -> Path:
        self.wb.save(path)
        return path


__all__ = ["ExcelRefused", "OpenpyxlBook"]
