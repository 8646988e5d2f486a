"""The buttons: their VBA modules call Python functions that exist, and Refresh flags writes
what the flags book's Current sheet holds."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

import clusterbook
from clusterbook import macros
from clusterbook.cli import main
from clusterbook.excel.addin_file import macros_folder
from clusterbook.excel.read import open_workbook, read_sheet

ROOT = Path(clusterbook.__file__).parents[2]
MACROS = ROOT / "macros"
_RUN_PYTHON = re.compile(r"\bRunPython\b\s*\(?(.*?)\)?\s*$", re.IGNORECASE)
_VBA_STRING = re.compile(r'"((?:[^"]|"")*)"')


def vba_lines(text: str) -> list[str]:
    """Logical VBA lines: continuations (' _' at the end) joined, comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.endswith(" _"):
            current += line[:-2] + " "
            continue
        lines.append(current + line)
        current = ""
    return [line for line in lines if not line.lstrip().startswith("'")]


def python_of(expression: str) -> str:
    """The Python text of a VBA string expression: literals joined, every other part of an
    '&' concatenation (a VBA value) taken as the text 'VALUE'."""
    parts = []
    for piece in re.split(r"\s*&\s*(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", expression.strip()):
        match = _VBA_STRING.fullmatch(piece.strip())
        parts.append(match.group(1).replace('""', '"') if match else "VALUE")
    return "".join(parts)


def run_python_problems(path: Path) -> tuple[list[str], int]:
    """What is wrong with every RunPython call of a .bas file, and how many calls it has."""
    problems, calls = [], 0
    for line in vba_lines(path.read_text(encoding="ascii")):
        match = _RUN_PYTHON.search(line)
        if not match:
            continue
        code = python_of(match.group(1))
        try:
            tree = ast.parse(code)
        except SyntaxError as error:
            problems.append(f"{path.name}: '{code}' is not Python ({error.msg})")
            continue
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            calls += 1
            owner, name = ast.unparse(node.func.value), node.func.attr
            if owner not in imported:
                problems.append(f"{path.name}: {owner}.{name} is called but {owner} is not "
                                f"imported")
                continue
            try:
                function = getattr(importlib.import_module(owner), name)
            except (ImportError, AttributeError) as error:
                problems.append(f"{path.name}: {owner}.{name} does not exist ({error})")
                continue
            args = [ast.literal_eval(arg) if not isinstance(arg, ast.Name) else arg.id
                    for arg in node.args]
            kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg}
            try:
                inspect.signature(function).bind(*args, **kwargs)
            except TypeError as error:
                problems.append(f"{path.name}: {owner}.{name}{inspect.signature(function)} "
                                f"cannot be called as in '{code}' ({error})")
    return problems, calls


def bas_files() -> list[Path]:
    return sorted(MACROS.glob("*.bas"))


def test_every_run_python_target_exists_with_a_compatible_signature():
    assert bas_files(), "the macros folder holds no VBA module"
    total = 0
    for path in bas_files():
        problems, calls = run_python_problems(path)
        assert problems == []
        total += calls
    assert total >= 1


def run_python_targets(path: Path) -> set[str]:
    """The Python functions a .bas file's RunPython calls name: 'module.function'."""
    targets = set()
    for line in vba_lines(path.read_text(encoding="ascii")):
        match = _RUN_PYTHON.search(line)
        if match:
            for node in ast.walk(ast.parse(python_of(match.group(1)))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    targets.add(ast.unparse(node.func))
    return targets


def test_the_ribbon_module_calls_each_buttons_target():
    assert {path.name: run_python_targets(path) for path in bas_files()} == {
        "ClusterBookRibbon.bas": {"clusterbook.macros.refresh_flags",
                                  "clusterbook.macros.validate_microplan",
                                  "clusterbook.macros.merge_submissions"},
    }
    text = (MACROS / "ClusterBookRibbon.bas").read_text()
    for callback in ("OnRefreshFlags", "OnValidate", "OnMerge", "OnOpenLauncher", "OnHelp"):
        assert f"Public Sub {callback}(control As IRibbonControl)" in text


@pytest.mark.parametrize(("call", "words"), [
    ('RunPython "import clusterbook.macros; clusterbook.macros.no_such_button()"',
     "does not exist"),
    ('RunPython "import clusterbook.macros; clusterbook.macros.refresh_flags(1)"',
     "cannot be called"),
    ('RunPython "import clusterbook.nothing; clusterbook.nothing.go()"', "does not exist"),
    ('RunPython ("import clusterbook.macros; clusterbook.macros.refresh_flags(''" & _\r\n'
     '    ActiveSheet.Name & "'')")', "cannot be called"),
    ('RunPython "import os; clusterbook.macros.refresh_flags()"', "is not imported"),
])
def test_the_check_catches_a_wrong_call(tmp_path, call, words):
    path = tmp_path / "Wrong.bas"
    path.write_text(f'Attribute VB_Name = "Wrong"\r\nSub Go()\r\n    {call}\r\nEnd Sub\r\n')
    problems, calls = run_python_problems(path)
    assert calls == 1 and len(problems) == 1 and words in problems[0], problems


def test_vba_modules_are_files_the_vba_editor_imports():
    for path in bas_files():
        raw = path.read_bytes()
        assert raw.decode("ascii")  # VBA reads the system code page: plain ASCII is safe
        assert raw.count(b"\n") == raw.count(b"\r\n"), f"{path.name} needs CRLF line endings"
        name = re.match(rb'Attribute VB_Name = "(\w+)"\r\n', raw)
        assert name and name.group(1).decode() == path.stem
    assert macros_folder() == MACROS


@pytest.mark.slow
def test_the_wheel_ships_the_vba_modules(tmp_path):
    result = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                             str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for path in bas_files():
        assert f"clusterbook/macros_vba/{path.name}" in names


# -- Refresh flags -------------------------------------------------------------------------

class FakeRange:
    """The few Range members the macro uses, over a dict of cells."""

    def __init__(self, sheet: FakeSheet, row: int = 1, column: int = 1):
        self.sheet, self.row, self.column = sheet, row, column

    def options(self, ndim: int) -> FakeRange:
        assert ndim == 2
        return self

    @property
    def value(self) -> Any:
        if self is self.sheet.used_range:
            return [list(row) for row in self.sheet.rows] or [[None]]
        return self.sheet.cells.get((self.row, self.column))

    @value.setter
    def value(self, rows: list[list[Any]]) -> None:
        assert len({len(row) for row in rows}) == 1, "xlwings refuses rows of unequal length"
        self.sheet.rows = [list(row) for row in rows]


class FakeSheet:
    def __init__(self, name: str, rows: list[list[Any]]):
        self.name, self.rows = name, rows

    @property
    def cells(self) -> dict[tuple[int, int], Any]:
        return {(r + 1, c + 1): v for r, row in enumerate(self.rows) for c, v in enumerate(row)}

    @property
    def used_range(self) -> FakeRange:
        return self._used

    def range(self, address: str) -> FakeRange:
        assert address == "A1"
        return FakeRange(self)

    def clear_contents(self) -> None:
        self.rows = []

    def __setattr__(self, key: str, value: Any) -> None:
        super().__setattr__(key, value)
        if key == "rows":
            super().__setattr__("_used", FakeRange(self))


class FakeSheets(list):
    def __getitem__(self, key):  # by name or position, as xlwings' Sheets
        if isinstance(key, str):
            return next(sheet for sheet in self if sheet.name == key)
        return super().__getitem__(key)

    def add(self, name: str, after: FakeSheet) -> FakeSheet:
        sheet = FakeSheet(name, [])
        self.insert(self.index(after) + 1, sheet)
        return sheet


class FakeBook:
    def __init__(self, name: str, sheets: list[FakeSheet]):
        self.name, self.sheets, self.alerts = name, FakeSheets(sheets), []
        self.app = self

    def alert(self, prompt: str, title: str, mode: str) -> None:
        self.alerts.append((title, prompt))


def workbook_rows(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """A real workbook's sheets as xlwings would read them (None for empty cells)."""
    book = open_workbook(path)
    try:
        sheets = []
        for name in book.sheet_names:
            rows = read_sheet(book, name, file=path.name).rows
            sheets.append((name, [[None if v == "" else v for v in row] for row in rows]))
        return sheets
    finally:
        book.close()


@pytest.fixture(scope="module")
def round_data_book(tmp_path_factory, sample_region) -> Path:
    path = tmp_path_factory.mktemp("book") / "Region rounds.xlsx"
    with __import__("pandas").ExcelWriter(path) as writer:
        __import__("pandas").DataFrame({"Notes": ["kept as it is"]}).to_excel(
            writer, sheet_name="Read me", index=False)
        sample_region.rounds.to_excel(writer, sheet_name="Round data", index=False)
    return path


def test_refresh_flags_writes_the_flags_books_current_sheet(round_data_book, tmp_path,
                                                            monkeypatch):
    book = FakeBook(round_data_book.name, [FakeSheet(name, rows) for name, rows in
                                          workbook_rows(round_data_book)])
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    macros.refresh_flags()
    assert book.alerts == []
    assert [sheet.name for sheet in book.sheets] == ["Read me", "Round data", "Flags"]
    written = book.sheets["Flags"].rows
    assert written[0][0] == "ClusterBook flags"
    assert written[1][0].startswith("'Status in R12, highest priority first, from sheet "
                                    "'Round data' (928 clusters, 12 rounds)")

    flags_book = tmp_path / "flags.xlsx"
    assert main(["flags", str(round_data_book), "--out", str(flags_book)]) == 0
    current = dict(workbook_rows(flags_book))["Current"]
    assert written[3] == current[2]  # the same headers
    text_columns = [i for i, header in enumerate(written[3])
                    if header in ("Province", "District", "Cluster code", "Cluster name",
                                  "Status", "Reasons", "Round", "Entered the list",
                                  "Left the list")]
    for ours, theirs in zip(written[4:], current[3:], strict=True):
        for i in text_columns:  # text is written with Excel's text apostrophe
            assert ours[i] is None or ours[i].startswith("'")
            ours[i] = None if ours[i] is None else ours[i][1:]
        assert ours == [None if isinstance(v, str) and v == "" else v for v in theirs]
    assert len(written) == 4 + 928

    # Pressing it again rewrites the sheet in place.
    macros.refresh_flags()
    assert [sheet.name for sheet in book.sheets] == ["Read me", "Round data", "Flags"]
    assert len(book.sheets["Flags"].rows) == 4 + 928


def test_refresh_flags_without_round_data_says_so_and_writes_nothing(monkeypatch):
    book = FakeBook("Notes.xlsx", [FakeSheet("Sheet1", [["Hello", None], [None, 3.0]])])
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    macros.refresh_flags()
    assert book.alerts == [("ClusterBook", "Notes.xlsx: no sheet has a header row with "
                                           "'Cluster code' and 'Round' (or 'Date') columns.")]
    assert [sheet.name for sheet in book.sheets] == ["Sheet1"]


def test_refresh_flags_leaves_a_flags_sheet_it_did_not_write(monkeypatch):
    theirs = FakeSheet("Flags", [["My own notes", None]])
    rounds = [["Province", "District", "Cluster code", "Round", "PCA", "Refusal"],
              ["P", "D", "C1", "R1", 80.0, 1.0]]
    book = FakeBook("Book.xlsx", [FakeSheet("Data", rounds), theirs])
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    macros.refresh_flags()
    assert "rename it and press Refresh flags again" in book.alerts[0][1]
    assert theirs.rows == [["My own notes", None]]


def test_bad_round_data_is_named_by_sheet_and_cell(monkeypatch):
    rounds = [["Province", "District", "Cluster code", "Round", "PCA", "Refusal"],
              ["P", "D", "C1", "R1", "9O", 1.0]]
    book = FakeBook("Book.xlsx", [FakeSheet("Data", rounds)])
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    macros.refresh_flags()
    assert book.alerts == [("ClusterBook", "Book.xlsx › Data › E2: PCA coverage '9O' is not a "
                                           "number.")]


def test_user_text_stays_text():
    assert macros.as_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    rows = macros.flags_sheet("B.xlsx", [("Data", [
        ["Province", "District", "Cluster code", "Cluster name", "Round", "PCA", "Refusal"],
        ["P", "D", "0123", "=1+1", "R1", 80.0, 1.0]])], now=dt.datetime(2025, 3, 1, 9, 30))
    assert rows[4][:4] == ["'P", "'D", "'0123", "'=1+1"]
    assert rows[1][0].endswith("Refreshed 01/03/2025 09:30.")


def test_sheet_values_start_at_a1_whatever_the_used_range():
    sheet = FakeSheet("S", [["Cluster code", "Round"], ["C1", None]])
    object.__setattr__(sheet, "_used", FakeRange(sheet, row=3, column=2))
    assert macros.sheet_values(sheet) == [["", "", ""], ["", "", ""],
                                          ["", "Cluster code", "Round"], ["", "C1", ""]]
