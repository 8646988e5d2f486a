"""The same checks from Excel-shaped blocks (as a live check formula receives them) as from the
file: same rules, same sheets, same cells."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterbook.domain.checks import CheckContext, check_document, rules_table
from clusterbook.domain.clusterlist import ClusterList
from clusterbook.domain.submission import blocks_from_data, document_from_blocks
from clusterbook.forms import MICROPLAN, section_block
from clusterbook.jobs.validate import ValidateRequest, validate_paths
from clusterbook.sample.submissions import MISTAKES, with_mistake
from corpus import TODAY, microplan, write


def excel_shaped(blocks):
    """Values as Excel hands them over: numbers as floats, dates as datetimes, None if empty."""
    def cell(value):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return float(value)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime(value.year, value.month, value.day)
        return value
    return [[[cell(value) for value in row] for row in block] for block in blocks]


def test_blocks_have_the_live_check_layout():
    blocks = excel_shaped(blocks_from_data(microplan()))
    for section, block in zip(MICROPLAN.sections, blocks, strict=True):
        first_row, first_column, last_row, last_column = section_block(section)
        assert len(block) == last_row - first_row + 1
        assert {len(row) for row in block} == {last_column - first_column + 1}
    identification = blocks[0]
    assert identification[4] == ["Target population (0-59 months)", 1200.0]
    assert blocks[1][0] == ["Name", "Role", "Contact", "Language(s) spoken", "Assigned team"]
    assert blocks[1][3][0] == "عائشہ بی بی"


CONTEXT = CheckContext(
    clusters=ClusterList.from_frame(__import__("pandas").DataFrame({
        "cluster_code": ["KTL-001"], "district": ["Kotal"], "province": ["Northern Hills"],
        "cluster_name": ["Kotal Bala 1"], "low_performing": [True]})),
    today=TODAY)


@pytest.mark.parametrize("kind", sorted(MISTAKES))
def test_blocks_and_file_give_the_same_findings(tmp_path, kind):
    data, mistake = with_mistake(microplan(), kind)
    from_blocks = check_document(
        document_from_blocks(MICROPLAN, excel_shaped(blocks_from_data(data)),
                             file="plan.xlsx"), CONTEXT)
    path = write(tmp_path, "plan.xlsx", data)
    from_file = validate_paths(ValidateRequest([path], CONTEXT.clusters, CONTEXT.final,
                                               CONTEXT.today)).findings
    assert [(f.rule, f.sheet, f.cell, f.message) for f in from_blocks] == [
        (f.rule, f.sheet, f.cell, f.message) for f in from_file]
    assert mistake.rule in {f.rule for f in from_blocks}


def test_blocks_name_cells_from_their_origin_and_sheet():
    data, _ = with_mistake(microplan(), "bad-phone", seed=3)
    blocks = excel_shaped(blocks_from_data(data))
    sheets = [f"{section.sheet} (2)" for section in MICROPLAN.sections]
    origins = [None] * len(blocks)
    origins[1] = (7, 2)  # the team block starts at B7: rows were inserted, a column too
    findings = check_document(document_from_blocks(MICROPLAN, blocks, sheets=sheets,
                                                   origins=origins), CONTEXT)
    (phone,) = [f for f in findings if f.rule == "phone"]
    row = next(index for index, row in enumerate(blocks[1]) if row[2] == phone.value)
    assert (phone.sheet, phone.cell) == ("Team (2)", f"D{7 + row}")


def test_a_missing_block_is_a_missing_sheet():
    blocks = excel_shaped(blocks_from_data(microplan()))
    blocks[2] = None
    findings = check_document(document_from_blocks(MICROPLAN, blocks), CONTEXT)
    assert [(f.rule, f.sheet) for f in findings] == [("sheet-missing", "Mapping")]


def test_wrong_number_of_blocks_is_refused():
    with pytest.raises(ValueError, match="8 sections, got 2 blocks"):
        document_from_blocks(MICROPLAN, [[[None]], [[None]]])


def test_the_rules_table_in_docs_is_current():
    from pathlib import Path

    path = Path(__file__).parent.parent / "docs" / "validation-rules.md"
    assert path.read_text(encoding="utf-8") == rules_table(), (
        "docs/validation-rules.md is stale: run "
        "'python -m clusterbook.jobs.validate --rules > docs/validation-rules.md'")


def test_every_rule_is_documented_with_a_severity():
    from clusterbook.domain.checks import RULES

    table = rules_table()
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.severity} |" in table
    assert len(RULES) >= 40


def test_each_kind_of_unreadable_file_has_one_rule_and_one_outcome():
    import pickle

    from clusterbook.domain.checks import FILE_RULES, RULES, file_finding
    from clusterbook.domain.errors import ErrorKind, WorkbookError
    from clusterbook.domain.outcomes import OUTCOME_OF_KIND, Outcome, outcome_of
    from clusterbook.domain.rule_registry import RuleId

    read = set(ErrorKind) - {ErrorKind.FEEDBACK, ErrorKind.UNWRITABLE}  # kinds of writing
    assert set(OUTCOME_OF_KIND) == read
    assert set(FILE_RULES) == read - {ErrorKind.UNREADABLE}
    assert len(set(FILE_RULES.values())) == len(FILE_RULES)
    for kind in read:
        error = WorkbookError("Kotal_KTL-001.xlsx", "it cannot be read", kind=kind)
        finding = file_finding(error)
        assert finding.rule == FILE_RULES.get(kind, RuleId.FILE_DAMAGED)
        assert finding.severity is RULES[finding.rule].severity
        assert str(finding) == "Kotal_KTL-001.xlsx: It cannot be read."
        assert outcome_of(kind) is OUTCOME_OF_KIND[kind]
        again = pickle.loads(pickle.dumps(error))  # as sent back from a reading process
        assert again.kind is kind and str(again) == str(error)
    assert outcome_of(ErrorKind.TOO_LARGE) is Outcome.REFUSED
    assert WorkbookError("a.xlsx", "why", kind="damaged").kind is ErrorKind.DAMAGED  # as stored
