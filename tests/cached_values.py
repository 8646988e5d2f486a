"""Comparing the values a book stores for its formulas with what a spreadsheet computes.

A book's formula cells carry a cached value, which viewers, previews and file readers show
without recalculating. ``formula_cells`` reads every formula cell straight from the sheet XML
(fast enough for the data book's quarter of a million formulas); ``recalculate_all`` has
LibreOffice recalculate many books in one start; ``differences`` lists every cell where the two
disagree.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from clusterbook.excel.libreoffice import _ALWAYS_RECALCULATE

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

#: What a cell holds: a number, a text, a boolean, or an error ("#N/A" and the like).
Value = float | str | bool | None


@dataclass(frozen=True)
class Cell:
    """A cell's formula (empty for a value cell) and its stored value."""

    formula: str
    value: Value
    error: bool = False


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order."""
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    parts = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets[sheet.get(_RELATIONSHIP)]
        path = target.lstrip("/") if target.startswith("/") else \
            str(PurePosixPath("xl") / target)
        parts.append((sheet.get("name"), path))
    return parts


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = etree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(part.text or "" for part in item.iter(f"{_MAIN}t"))
            for item in root.iter(f"{_MAIN}si")]


def book_cells(path: Path, *, formulas_only: bool = True) -> dict[str, Cell]:
    """Every formula cell (or every cell) of a book as 'Sheet!A1' -> Cell."""
    found: dict[str, Cell] = {}
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        for name, part in _sheet_parts(archive):
            with archive.open(part) as stream:
                for _, element in etree.iterparse(stream, tag=f"{_MAIN}c"):
                    formula_element = element.find(f"{_MAIN}f")
                    formula = "" if formula_element is None else \
                        (formula_element.text or f"(shared {formula_element.get('si')})")
                    if formulas_only and formula_element is None:
                        element.clear()
                        continue
                    kind = element.get("t", "n")
                    value_element = element.find(f"{_MAIN}v")
                    text = None if value_element is None else value_element.text
                    value: Value
                    if kind == "inlineStr":
                        value = "".join(part.text or "" for part in
                                        element.find(f"{_MAIN}is").iter(f"{_MAIN}t"))
                    elif text is None:
                        value = None
                    elif kind == "s":
                        value = strings[int(text)]
                    elif kind in ("str", "e"):
                        value = text
                    elif kind == "b":
                        value = text == "1"
                    else:
                        value = float(text)
                    found[f"{name}!{element.get('r')}"] = Cell(formula, value, kind == "e")
                    element.clear()
    return found


def formula_cells(path: Path) -> dict[str, Cell]:
    """Every formula cell of a book with its cached value."""
    return book_cells(path, formulas_only=True)




def recalculate_all(program: str, books: Sequence[Path], out_dir: Path, *,
                    target: str = "xlsx:Calc MS Excel 2007 XML",
                    timeout: float = 1800) -> dict[Path, Path]:
    """Recalculate (or render, with ``target="pdf"``) many books in a single LibreOffice start.

    Books are copied under unique names first (two books may share a name in different
    folders); returns each book's converted file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clusterbook-recalc-") as folder:
        staging = Path(folder) / "in"
        staging.mkdir()
        copies: dict[Path, Path] = {}
        for index, book in enumerate(books):
            copy = staging / f"{index:04d}-{book.name}"
            shutil.copyfile(book, copy)
            copies[book] = copy
        profile = Path(folder) / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE,
                                                                    encoding="utf-8")
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", target,
                   "--outdir", str(out_dir), *map(str, copies.values())]
        subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, "HOME": str(profile)}, check=False)
    suffix = target.split(":")[0]
    converted = {book: out_dir / f"{copy.stem}.{suffix}" for book, copy in copies.items()}
    missing = [book.name for book, path in converted.items() if not path.exists()]
    if missing:
        raise AssertionError(f"LibreOffice did not convert {', '.join(missing)}")
    return converted


def books_to_check(*roots: Path) -> list[Path]:
    """Every readable book under ``roots`` that holds a formula, add-in-only books once per
    distinct set of formulas (the first found)."""
    books, seen = [], set()
    for path in (path for root in roots for path in sorted(root.rglob("*.xlsx"))):
        try:
            cells = formula_cells(path)
        except zipfile.BadZipFile:
            continue  # the demo's deliberately broken submissions
        if not cells:
            continue
        addin = addin_refs(cells)
        if len(addin) == len(cells):
            shape = frozenset((ref, cells[ref].formula) for ref in addin)
            if shape in seen:
                continue
            seen.add(shape)
        books.append(path)
    return books


def same_value(cached: Value, computed: Value) -> bool:
    """Numbers equal to 1e-9, text exactly (an empty text and an empty cell alike)."""
    if cached in (None, "") and computed in (None, ""):
        return True
    if isinstance(cached, bool) or isinstance(computed, bool):
        return cached == computed
    if isinstance(cached, float) and isinstance(computed, float):
        return math.isclose(cached, computed, rel_tol=0, abs_tol=1e-9)
    return cached == computed


def differences(written: dict[str, Cell], recalculated: dict[str, Cell],
                skip: Iterable[str] = ()) -> dict[str, tuple[Value, Value]]:
    """Every formula cell whose cached value differs from the recalculated one."""
    skipped = set(skip)
    found = {}
    for ref, cell in written.items():
        if ref in skipped:
            continue
        other = recalculated.get(ref)
        computed = None if other is None else other.value
        if not same_value(cell.value, computed):
            found[ref] = (cell.value, computed)
    return found


def error_refs(cells: dict[str, Cell]) -> dict[str, Value]:
    """Cells holding an error value."""
    return {ref: cell.value for ref, cell in cells.items() if cell.error}


def addin_refs(cells: dict[str, Cell]) -> set[str]:
    """The formula cells that call a ClusterBook add-in function."""
    from clusterbook.udfs import __all__ as functions

    return {ref for ref, cell in cells.items()
            if any(f"{name}(".casefold() in cell.formula.casefold() for name in functions)}


def check_stored_values(written: Path, recalculated: Path) -> dict[str, object]:
    """What is wrong with a book's stored values, judged by its recalculated copy: formula
    cells whose stored value differs, error cells, add-in cells not showing the plain
    message. Empty when all is right."""
    from clusterbook.templates.form_book import ADDIN_MISSING

    stored = formula_cells(written)
    computed = book_cells(recalculated, formulas_only=False)
    addin = addin_refs(stored)
    problems: dict[str, object] = {}
    for ref, (cached, value) in differences(stored, computed, skip=addin).items():
        problems[ref] = f"stored {cached!r}, computed {value!r}: {stored[ref].formula[:120]}"
    for ref, error in error_refs(computed).items():
        problems[ref] = f"error {error}"
    for ref in addin:
        shown = computed[ref].value if ref in computed else None
        if shown != ADDIN_MISSING:
            problems[ref] = f"add-in cell shows {shown!r} without the add-in"
    return problems
