"""Looking inside an .xlsx package quickly, without loading 400,000 formulas into openpyxl."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

_SHEET = re.compile(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"')
_RELATION = re.compile(r'<Relationship [^>]*Id="([^"]+)"[^>]*Target="([^"]+)"')
_RELATION_REVERSED = re.compile(r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="([^"]+)"')
_FORMULA = re.compile(r'<c r="([A-Z]+\d+)"[^>]*>(?:<f[^>]*>([^<]*)</f>)')
_NAME = re.compile(r'<definedName name="([^"]+)"[^>]*>([^<]+)</definedName>')


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> the XML of that sheet."""
    with zipfile.ZipFile(path) as package:
        workbook = package.read("xl/workbook.xml").decode()
        relations = package.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(_RELATION.findall(relations))
        targets.update({rid: target for target, rid in _RELATION_REVERSED.findall(relations)})
        parts = {}
        for name, rid in _SHEET.findall(workbook):
            target = targets[rid].removeprefix("/xl/").removeprefix("xl/")
            parts[html.unescape(name)] = package.read(f"xl/{target}").decode()
    return parts


def formulas(sheet_xml: str) -> dict[str, str]:
    """Cell -> formula text (without '=') of every formula cell in a sheet's XML."""
    return {cell: html.unescape(text) for cell, text in _FORMULA.findall(sheet_xml)}


def defined_names(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        workbook = package.read("xl/workbook.xml").decode()
    return {name: html.unescape(value) for name, value in _NAME.findall(workbook)}


def replace_in_part(path: Path, out: Path, sheet: str, old: str, new: str) -> Path:
    """A copy of the package with one sheet's XML edited (to break a file on purpose)."""
    with zipfile.ZipFile(path) as package:
        workbook = package.read("xl/workbook.xml").decode()
        relations = package.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(_RELATION.findall(relations))
        targets.update({rid: target for target, rid in _RELATION_REVERSED.findall(relations)})
        rid = dict(_SHEET.findall(workbook))[sheet]
        part = "xl/" + targets[rid].removeprefix("/xl/").removeprefix("xl/")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in package.infolist():
                data = package.read(info)
                if info.filename == part:
                    text = data.decode()
                    assert old in text, f"{old!r} is not in {part}"
                    data = text.replace(old, new, 1).encode()
                copy.writestr(info, data)
    return out
