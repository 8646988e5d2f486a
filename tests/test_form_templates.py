"""The form builder: any Form as a template or a filled copy, read back as Excel sees it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from clusterbook.excel.read import open_workbook, read_sheet
from clusterbook.forms import (
    ACTION_PLAN,
    FORM_SHEET,
    FORMS,
    MICROPLAN,
    Field,
    Form,
    FormData,
    Kind,
    RecordSection,
    TableSection,
    section_block,
)
from clusterbook.forms.microplan import ROLES, SETTLEMENT_TYPES
from clusterbook.templates import CHECKS_SHEET, INSTRUCTIONS_SHEET, check_formula, write_form
from clusterbook.templates.form_book import addin_guarded


def filled_microplan() -> FormData:
    return FormData(MICROPLAN, records={
        "identification": {"province": "Northern Hills", "district": "Kotal",
                           "cluster_name": "Bala Deh", "cluster_code": "KTL-007",
                           "target_population": 1234, "households": 610, "missed_children": 14,
                           "sites": 3, "teams": 4, "campaign": "March 2025 NID",
                           "campaign_start": dt.date(2025, 3, 10),
                           "campaign_end": dt.date(2025, 3, 14)},
        "sign_off": {"dco_name": "A. Rahimi", "dco_date": dt.date(2025, 3, 1),
                     "status": "Final"},
    }, tables={
        "team": [{"name": f"Member {index}", "role": ROLES[index % len(ROLES)],
                  "contact": "+93 70 123 4567", "languages": "Pashto, Dari"}
                 for index in range(35)],  # more rows than the template formats
        "issues": [{"challenge": "=HYPERLINK(\"http://x\")", "mitigation": "+1 visit",
                    "responsible": "Member 1", "timeline": dt.date(2025, 3, 5)}],
    })


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_template_layout_follows_the_schema(tmp_path, form):
    path = write_form(tmp_path / "blank.xlsx", form)

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == INSTRUCTIONS_SHEET
    assert set(form.sheets) <= set(book.sheetnames)
    hidden = book[FORM_SHEET]
    assert hidden.sheet_state == "hidden"
    assert (hidden["B1"].value, hidden["B2"].value) == (form.form_id, form.version)
    for section in form.sections:
        sheet = book[section.sheet]
        protected = all(getattr(other, "protect", True)
                        for other in form.sections_on(section.sheet))
        assert bool(sheet.protection.sheet) == protected and not sheet.protection.password
        assert sheet.cell(section.title_row, 1).value == section.title
        for item in section.fields:
            if isinstance(section, RecordSection):
                row = section.row_of(item.key)
                label = sheet.cell(row, section.label_column)
                entry = sheet.cell(row, section.value_column)
            else:
                label = sheet.cell(section.header_row, section.column_index(item.key))
                entry = sheet.cell(section.first_data_row, section.column_index(item.key))
            assert label.value == item.label
            assert (label.protection.locked and not entry.protection.locked) or not protected
            assert entry.value is None
    assert book[INSTRUCTIONS_SHEET]["A1"].value == form.title
    assert (CHECKS_SHEET in book.sheetnames) == bool(form.live_check)


def _validations(sheet) -> dict[str, object]:
    """Each validated cell's first cell -> the validation."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for area in validation.sqref.ranges:
            found[area.coord.split(":")[0]] = validation
    return found


def test_kinds_become_validation_with_input_messages(tmp_path):
    path = write_form(tmp_path / "blank.xlsx", MICROPLAN)
    book = openpyxl.load_workbook(path)
    identification = MICROPLAN.section("identification")
    rules = _validations(book[identification.sheet])
    sites = rules[identification.cell("sites")]
    assert (sites.type, sites.formula1, sites.formula2) == ("whole", "1", "100000000")
    assert sites.operator in (None, "between")  # 'between' is the default, left out
    households = rules[identification.cell("households")]
    assert (households.type, households.formula1) == ("whole", "0")
    start = rules[identification.cell("campaign_start")]
    assert start.type == "date" and start.showInputMessage
    code = rules[identification.cell("cluster_code")]
    assert "cluster list" in code.prompt

    team = MICROPLAN.section("team")
    role = _validations(book[team.sheet])[f"{team.column('role')}{team.first_data_row}"]
    assert role.type == "list" and role.showErrorMessage
    assert role.errorStyle in (None, "stop")  # stop is the default, left out
    # The dropdown's range holds exactly the roles of the spec.
    sheet_name, area = role.formula1.split("!")
    assert sheet_name == FORM_SHEET
    cells = book[FORM_SHEET][area.replace("$", "")]
    assert tuple(row[0].value for row in cells) == ROLES
    # Validation covers the rows the live checks read, so added rows are checked too.
    assert [area.max_row for area in role.sqref.ranges] == [section_block(team)[2]]

    mapping = MICROPLAN.section("mapping")
    settlement = _validations(book[mapping.sheet])[
        f"{mapping.column('settlement_type')}{mapping.first_data_row}"]
    cells = book[FORM_SHEET][settlement.formula1.split("!")[1].replace("$", "")]
    assert tuple(row[0].value for row in cells) == SETTLEMENT_TYPES


def test_filled_form_reads_back_at_the_schema_cells(tmp_path):
    data = filled_microplan()
    path = write_form(tmp_path / "filled.xlsx", MICROPLAN, data)

    book = open_workbook(path)
    identification = MICROPLAN.section("identification")
    values = read_sheet(book, identification.sheet)
    for key, expected in data.records["identification"].items():
        row = identification.row_of(key)
        got = values.value(row, identification.value_column)
        assert got == expected, key
    team = MICROPLAN.section("team")
    team_values = read_sheet(book, team.sheet)
    for offset, member in enumerate(data.tables["team"]):
        row = team.first_data_row + offset
        assert team_values.value(row, team.column_index("name")) == member["name"]
        assert team_values.value(row, team.column_index("contact")) == "+93 70 123 4567"
    issues = MICROPLAN.section("issues")
    issue_values = read_sheet(book, issues.sheet)
    # Text that looks like a formula is kept as the text typed, never run.
    row = issues.first_data_row
    assert issue_values.value(row, 1) == "=HYPERLINK(\"http://x\")"
    assert issue_values.value(row, 2) == "+1 visit"
    formulas = openpyxl.load_workbook(path)[issues.sheet]
    assert formulas.cell(row, 1).data_type == "s"
    # Rows beyond the template's formatted rows are entry cells too.
    last = openpyxl.load_workbook(path)[team.sheet].cell(team.first_data_row + 34, 1)
    assert last.value == "Member 34" and not last.protection.locked


def test_several_copies_in_one_book_are_named_as_excel_names_copies(tmp_path):
    first, second = filled_microplan(), filled_microplan()
    second.records["identification"] = {**second.records["identification"],
                                        "cluster_code": "KTL-008"}
    path = write_form(tmp_path / "district.xlsx", MICROPLAN, [first, second])
    book = openpyxl.load_workbook(path)
    assert "Team (2)" in book.sheetnames and "Identification (2)" in book.sheetnames
    cell = MICROPLAN.section("identification").cell("cluster_code")
    assert book["Identification (2)"][cell].value == "KTL-008"
    assert book["Identification"][cell].value == "KTL-007"
    checks = book[CHECKS_SHEET]
    formulas = [getattr(cell.value, "text", None) for row in checks.iter_rows() for cell in row]
    # Each copy's check, showing a plain message instead of an error without the add-in.
    assert addin_guarded(check_formula(MICROPLAN, 1)) in formulas
    assert addin_guarded(check_formula(MICROPLAN, 2)) in formulas


def test_the_check_formula_passes_every_section_block_in_order():
    formula = check_formula(MICROPLAN)
    assert formula.startswith("=MICROPLAN_CHECK(Identification!$A$3:$B$14,Team!$A$4:$E$504,")
    assert formula.count("!") == len(MICROPLAN.sections)
    assert formula.endswith("'Sign-off'!$A$3:$B$9)")


def test_data_for_another_form_or_unknown_fields_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot fill"):
        write_form(tmp_path / "x.xlsx", MICROPLAN, FormData(ACTION_PLAN))
    with pytest.raises(KeyError, match="no field colour"):
        write_form(tmp_path / "x.xlsx", MICROPLAN,
                   FormData(MICROPLAN, records={"identification": {"colour": "red"}}))
    assert not (tmp_path / "x.xlsx").exists()


def test_any_form_builds(tmp_path):
    """The builder is general: a form it has never seen, with every kind."""
    form = Form(
        form_id="test-form", version="1", title="A test form",
        sections=(
            RecordSection(key="about", title="About", sheet="About", fields=tuple(
                Field(kind.value, kind.value.title(), kind, required=True,
                      choices=("Yes", "No") if kind is Kind.CHOICE else ())
                for kind in Kind)),
            TableSection(key="rows", title="Rows", sheet="About", title_row=12, header_row=13,
                         rows=3, fields=(Field("score", "Score", Kind.PERCENT),)),
        ))
    data = FormData(form, records={"about": {"percent": 55.5, "choice": "No"}},
                    tables={"rows": [{"score": 12}]})
    path = write_form(tmp_path / "any.xlsx", form, data)
    sheet = openpyxl.load_workbook(path)["About"]
    about = form.section("about")
    assert sheet[about.cell("percent")].value == 55.5
    assert sheet[about.cell("choice")].value == "No"
    assert sheet["A14"].value == 12
    assert CHECKS_SHEET not in openpyxl.load_workbook(path).sheetnames


def test_building_twice_gives_the_same_bytes(tmp_path):
    one = write_form(tmp_path / "one.xlsx", MICROPLAN, filled_microplan())
    two = write_form(tmp_path / "two.xlsx", MICROPLAN, filled_microplan())
    assert one.read_bytes() == two.read_bytes()
