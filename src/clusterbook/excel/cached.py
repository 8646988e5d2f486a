"""The values a book stores beside its formulas, for books written with openpyxl.

Viewers, previews and file readers show a formula cell's stored (cached) value without
recalculating. XlsxWriter takes that value with each formula; openpyxl writes none, and drops
those of a book it loads. ``formula_values`` reads them from a book, ``store_formula_values``
writes them into a saved book's formula cells.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from lxml import etree

from clusterbook.excel.write import atomic_path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _F, _V, _IS = (f"{{{_MAIN}}}{name}" for name in ("c", "f", "v", "is"))
_RELATIONSHIP = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")

#: Sheet name -> {"A1": value}: a number, a text, a boolean or None (an empty text).
SheetValues = Mapping[str, Mapping[str, object]]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part."""
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    relations = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {item.get("Id"): item.get("Target") for item in relations}
    parts = {}
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        target = targets[sheet.get(_RELATIONSHIP)]
        parts[sheet.get("name")] = (target.lstrip("/") if target.startswith("/")
                                    else str(PurePosixPath("xl") / target))
    return parts


def formula_values(path: Path | str) -> dict[str, dict[str, object]]:
    """The stored value of every formula cell of a book, by sheet and cell."""
    import openpyxl

    found: dict[str, dict[str, object]] = {}
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
        cells: dict[str, set[str]] = {}
        for name, part in parts.items():
            root = etree.fromstring(archive.read(part))
            cells[name] = {cell.get("r") for cell in root.iter(_C)
                           if cell.find(_F) is not None}
    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        for name, refs in cells.items():
            if not refs:
                continue
            # One pass over the sheet (a read-only sheet reads from the start at each lookup).
            values = found[name] = {}
            for row in book[name].iter_rows():
                for cell in row:
                    ref = getattr(cell, "coordinate", None)
                    if ref in refs:
                        values[ref] = cell.value
            for ref in refs - values.keys():
                values[ref] = None
    finally:
        book.close()
    return found


def _set_value(cell: etree._Element, value: object) -> None:
    for old in (cell.find(_V), cell.find(_IS)):
        if old is not None:
            cell.remove(old)
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        cell.set("t", "str")
        etree.SubElement(cell, _V).text = ""
    elif isinstance(value, bool):
        cell.set("t", "b")
        etree.SubElement(cell, _V).text = "1" if value else "0"
    elif isinstance(value, int | float):
        cell.attrib.pop("t", None)
        etree.SubElement(cell, _V).text = repr(float(value)) if not float(value).is_integer() \
            else str(int(value))
    else:
        cell.set("t", "str")
        etree.SubElement(cell, _V).text = str(value)


def store_formula_values(path: Path | str, values: SheetValues) -> None:
    """Store ``values`` as the cached values of those formula cells of a saved book (other
    cells are left alone); the book is rewritten atomically."""
    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        parts = _sheet_parts(archive)
        items = [(item, archive.read(item)) for item in archive.infolist()]
    contents = {item.filename: data for item, data in items}
    for name, sheet_values in values.items():
        if name not in parts or not sheet_values:
            continue
        root = etree.fromstring(contents[parts[name]])
        for cell in root.iter(_C):
            ref = cell.get("r")
            if ref in sheet_values and cell.find(_F) is not None:
                _set_value(cell, sheet_values[ref])
        contents[parts[name]] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                               standalone=True)
    with atomic_path(path) as temporary, zipfile.ZipFile(temporary, "w",
                                                         zipfile.ZIP_DEFLATED) as out:
        for item, _ in items:
            out.writestr(item, contents[item.filename])
