"""The Validate this microplan button, pressed in a real filled microplan book.

Excel is not here, so ``xw.Book.caller()`` returns the book file behind the few xlwings
members the button uses (``openpyxl_book``); the book is then saved and reopened to check
what changed: the Validation sheet and the fill of the cells it lists, nothing else.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlwings as xw

from clusterbook import macros
from clusterbook.forms import MICROPLAN
from clusterbook.jobs.validate import ValidateRequest, validate_paths
from clusterbook.sample.submissions import microplan_data, with_mistake
from clusterbook.styles import FINDING_COLOURS
from clusterbook.templates.form_book import write_form
from openpyxl_book import OpenpyxlBook

CODE = "KTL-004"


@pytest.fixture
def plan(tmp_path) -> Path:
    """A filled microplan with an error (a contact), a warning (households) and a sign-off
    left incomplete on a final plan."""
    data, _ = with_mistake(microplan_data(CODE), "bad-phone", seed=1)
    data, _ = with_mistake(data, "household-ratio")
    data, _ = with_mistake(data, "unsigned")
    return write_form(tmp_path / "Kotal_KTL-004.xlsx", MICROPLAN, data)


def press(book: OpenpyxlBook, monkeypatch) -> None:
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    macros.validate_microplan()


def fill(cell) -> str | None:
    return str(cell.fill.start_color.rgb)[-6:].upper() if cell.fill.fill_type == "solid" \
        else None


def snapshot(path: Path, skip: str = macros.VALIDATION_SHEET) -> dict:
    """Every cell's value and fill, and each sheet's protection, of every sheet but one."""
    book = openpyxl.load_workbook(path)
    state = {}
    for ws in book.worksheets:
        if ws.title == skip:
            continue
        protection = {name: getattr(ws.protection, name) for name in (
            "sheet", "objects", "scenarios", "formatCells", "formatColumns", "formatRows",
            "insertRows", "deleteRows", "insertColumns", "deleteColumns")}
        # An empty text and an empty cell are the same to Excel (and to openpyxl's round trip).
        cells = {cell.coordinate: ("" if cell.value is None else
                                   str(getattr(cell.value, "text", cell.value)), fill(cell))
                 for row in ws.iter_rows() for cell in row
                 if cell.value not in (None, "") or fill(cell)}
        state[ws.title] = (protection, ws.sheet_state, cells)
    return state


def table(path: Path) -> list[tuple]:
    """The findings the Validation sheet lists: severity, sheet, cell link, message, rule."""
    ws = openpyxl.load_workbook(path)[macros.VALIDATION_SHEET]
    return [tuple(cell.value for cell in row[:5]) for row in ws.iter_rows(min_row=5)
            if row[0].value]


def test_validate_lists_the_findings_of_clusterbook_validate_and_highlights_them(
        plan, tmp_path, monkeypatch):
    before = snapshot(plan)
    book = OpenpyxlBook(plan)
    press(book, monkeypatch)
    assert book.alerts == []
    out = book.save(tmp_path / "after.xlsx")

    expected = validate_paths(ValidateRequest([plan])).findings
    assert {f.rule for f in expected} >= {"phone", "population-per-household",
                                          "sign-off-incomplete"}
    listed = table(out)
    assert [(severity, sheet, message, rule) for severity, sheet, _, message, rule in listed] \
        == [(str(f.severity).capitalize(), f.sheet, f.message, f.rule) for f in expected]
    for (_, sheet, link, _, _), finding in zip(listed, expected, strict=True):
        target = f"'{sheet}'!{finding.cell}" if "-" in sheet else f"{sheet}!{finding.cell}"
        assert link == f'=HYPERLINK("#{target}","{finding.cell}")'

    after = openpyxl.load_workbook(out)
    names = after.sheetnames
    assert names[-2:] == [macros.VALIDATION_SHEET, "_clusterbook"]
    assert after.active.title == macros.VALIDATION_SHEET
    summary = after[macros.VALIDATION_SHEET]["A2"].value
    assert summary.startswith("Kotal_KTL-004.xlsx: 2 errors and 1 warning (checked ")
    # The cells are filled in their severity's colour; nothing else changed anywhere.
    highlighted = {}
    for finding in expected:
        highlighted[(finding.sheet, finding.cell)] = FINDING_COLOURS["error"].fill \
            if finding.severity == "error" else FINDING_COLOURS["warning"].fill
    changed = snapshot(out)
    assert set(changed) == set(before)
    for sheet, (protection, state, cells) in before.items():
        assert changed[sheet][:2] == (protection, state), sheet
        for coordinate, (value, old_fill) in cells.items():
            new_value, new_fill = changed[sheet][2][coordinate]
            assert new_value == value
            assert new_fill == highlighted.get((sheet, coordinate), old_fill), (sheet, coordinate)
    # Each protected sheet was opened for the highlight and closed again.
    for sheet in {f.sheet for f in expected}:
        assert book.sheets[sheet].api.calls == ["Unprotect", "Protect"]


def test_pressing_again_after_correcting_gives_the_cells_their_fill_back(plan, tmp_path,
                                                                         monkeypatch):
    original = snapshot(plan)
    book = OpenpyxlBook(plan)
    press(book, monkeypatch)
    phone = next(f for f in validate_paths(ValidateRequest([plan])).findings if f.rule == "phone")
    households = next(f for f in validate_paths(ValidateRequest([plan])).findings
                      if f.rule == "population-per-household")
    # The officer corrects the contact and the households, then presses again.
    book.wb[phone.sheet][phone.cell] = "+93 70 123 4567"
    book.wb["Identification"]["B8"] = 900
    press(book, monkeypatch)
    out = book.save(tmp_path / "again.xlsx")
    listed = table(out)
    assert [rule for *_, rule in listed] == ["sign-off-incomplete"]
    now = snapshot(out)
    assert now[phone.sheet][2][phone.cell][1] == original[phone.sheet][2][phone.cell][1]
    assert now[households.sheet][2][households.cell][1] \
        == original[households.sheet][2][households.cell][1]
    assert original["Sign-off"][2]["B6"][1] != FINDING_COLOURS["error"].fill
    assert now["Sign-off"][2]["B6"][1] == FINDING_COLOURS["error"].fill
    # The highlight record lists the one cell still highlighted, with its fill before.
    ws = openpyxl.load_workbook(out)[macros.VALIDATION_SHEET]
    record = [tuple(c.value for c in row[7:10]) for row in ws.iter_rows(min_row=5)
              if row[7].value]
    assert record == [("Sign-off", "B6", "#" + original["Sign-off"][2]["B6"][1].lower())]
    assert ws.column_dimensions["H"].hidden

    # Corrected completely: the list is empty and every fill is the template's again.
    book.wb["Sign-off"]["B6"] = __import__("datetime").datetime(2025, 12, 20)
    press(book, monkeypatch)
    out = book.save(tmp_path / "clean.xlsx")
    assert table(out) == []
    assert "no problems found" in openpyxl.load_workbook(out)[macros.VALIDATION_SHEET][
        "A2"].value
    cleaned = snapshot(out)
    for sheet, (_, _, cells) in original.items():
        assert {k: v[1] for k, v in cleaned[sheet][2].items()} == {
            k: v[1] for k, v in cells.items()}, sheet


def test_a_fill_changed_by_the_officer_is_kept(plan, tmp_path, monkeypatch):
    book = OpenpyxlBook(plan)
    press(book, monkeypatch)
    phone = next(f for f in validate_paths(ValidateRequest([plan])).findings if f.rule == "phone")
    sheet = book.sheets[phone.sheet]
    with macros.formattable(sheet):
        sheet.range(phone.cell).color = "#00b0f0"  # the officer's own colour
    press(book, monkeypatch)
    assert sheet.range(phone.cell).color == (0xFF, 0xC7, 0xCE)  # still wrong: red again
    book.wb[phone.sheet][phone.cell] = "+93 70 123 4567"
    press(book, monkeypatch)
    assert sheet.range(phone.cell).color == (0x00, 0xB0, 0xF0)


def test_a_sheet_protected_with_a_password_is_listed_but_not_highlighted(plan, tmp_path,
                                                                          monkeypatch):
    book = OpenpyxlBook(plan)
    book.wb["Team"].protection.password = "district"
    press(book, monkeypatch)
    out = book.save(tmp_path / "locked.xlsx")
    assert "Cells on 'Team' are not highlighted: the sheet is protected with a password." \
        in openpyxl.load_workbook(out)[macros.VALIDATION_SHEET]["A2"].value
    assert "phone" in [rule for *_, rule in table(out)]
    phone = next(f for f in validate_paths(ValidateRequest([plan])).findings if f.rule == "phone")
    assert snapshot(out)["Team"][2][phone.cell][1] == snapshot(plan)["Team"][2][phone.cell][1]
    assert openpyxl.load_workbook(out)["Team"].protection.sheet


def test_a_validation_sheet_it_did_not_write_is_left_alone(plan, tmp_path, monkeypatch):
    book = OpenpyxlBook(plan)
    book.wb.create_sheet("Validation")["A1"] = "My own notes"
    book.save(tmp_path / "theirs.xlsx")
    before = snapshot(tmp_path / "theirs.xlsx", skip="")
    book = OpenpyxlBook(tmp_path / "theirs.xlsx")
    press(book, monkeypatch)
    assert book.alerts == [("ClusterBook", "the book already has a sheet named 'Validation' "
                                           "that ClusterBook did not write; rename it and "
                                           "press Validate again (nothing was changed)")]
    assert snapshot(book.save(tmp_path / "after.xlsx"), skip="") == before


def test_a_book_that_is_no_form_says_so_and_is_not_changed(tmp_path, monkeypatch):
    path = tmp_path / "Notes.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Shopping list"
    workbook.save(path)
    book = OpenpyxlBook(path)
    press(book, monkeypatch)
    (title, message), = book.alerts
    assert title == "ClusterBook" and message.startswith(
        "Notes.xlsx: this workbook is not one of the ClusterBook templates")
    assert [sheet.name for sheet in book.sheets] == ["Sheet"]


def test_user_text_in_messages_stays_text(tmp_path, monkeypatch):
    data = microplan_data(CODE)
    data.tables["team"][0]["contact"] = '=HYPERLINK("http://example.com","x")'
    path = write_form(tmp_path / "plan.xlsx", MICROPLAN, data)
    book = OpenpyxlBook(path)
    press(book, monkeypatch)
    ws = book.wb[macros.VALIDATION_SHEET]
    messages = [ws.cell(row=r, column=4) for r in range(5, ws.max_row + 1)]
    phone = next(cell for cell in messages if "HYPERLINK" in str(cell.value))
    assert phone.data_type == "s" and phone.value.startswith("Contact '=HYPERLINK")
