"""MICROPLAN_CHECK gives the findings `clusterbook validate` gives for the same file.

Filled microplans are written with the template builder (sample plans of clusters picked at
random from the sample region, each with a realistic mistake); the blocks are read back from
the file at the ranges of the formula the template's Checks sheet holds, as Excel passes them
(floats, None for empty cells, datetimes), and the answer is compared with the JSON findings
of the real command run over the same files.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import clusterbook
from clusterbook.forms import MICROPLAN
from clusterbook.sample.submissions import MISTAKES, microplan_data, with_mistake
from clusterbook.templates.form_book import CHECKS_SHEET, addin_guarded, check_formula, write_form
from clusterbook.udfs import MICROPLAN_CHECK
from clusterbook.udfs.microplan import microplan_findings
from corpus import edit
from excel_shapes import (
    ExcelRange,
    excel_range,
    formula_ranges,
    range_argument,
    range_values,
    sheet_cells,
)

SRC = Path(clusterbook.__file__).parent.parent
#: Rules that need the cluster list, which neither the live check nor the command without
#: --clusters has.
NEEDS_CLUSTER_LIST = {"cluster-unknown", "cluster-district", "issues-missing"}


def held_out_plans(sample_region) -> list[tuple[str, str, object]]:
    """(file name, mistake, data): one plan per mistake, clusters drawn at random, plus a
    clean plan and one with two mistakes."""
    pick = random.Random(20250607)
    codes = pick.sample(sample_region.clusters["cluster_code"].tolist(), len(MISTAKES) + 2)
    plans = []
    for code, kind in zip(codes, sorted(MISTAKES), strict=False):
        data, _ = with_mistake(microplan_data(code), kind, seed=pick.randrange(100))
        plans.append((f"{code}_{kind}.xlsx", kind, data))
    plans.append((f"{codes[-2]}_clean.xlsx", "", microplan_data(codes[-2])))
    twice, _ = with_mistake(microplan_data(codes[-1]), "bad-phone")
    twice, _ = with_mistake(twice, "review-before-end")
    plans.append((f"{codes[-1]}_two.xlsx", "bad-phone", twice))
    return plans


@pytest.fixture(scope="module")
def written(tmp_path_factory, sample_region) -> tuple[Path, list[tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("microplans")
    plans = held_out_plans(sample_region)
    for name, _, data in plans:
        write_form(folder / name, MICROPLAN, data)
    return folder, [(name, kind) for name, kind, _ in plans]


def validate_command(*paths: Path) -> dict[str, list[dict]]:
    """`clusterbook validate --format json` over the paths: the findings of each file."""
    result = subprocess.run([sys.executable, "-m", "clusterbook", "validate", *map(str, paths),
                             "--format", "json"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode in (0, 1), result.stderr
    by_file: dict[str, list[dict]] = {}
    for finding in json.loads(result.stdout):
        by_file.setdefault(finding["file"], []).append(finding)
    return by_file


@pytest.fixture(scope="module")
def command_findings(written) -> dict[str, list[dict]]:
    folder, _ = written
    return validate_command(folder)


def check_formula_in(path: Path, copy: int = 1) -> str:
    """The live check formula the written book holds for a copy of the form."""
    sheet = openpyxl.load_workbook(path)[CHECKS_SHEET]
    cell = sheet.cell(row=6, column=1 + 5 * (copy - 1)).value
    return getattr(cell, "text", cell)


def arguments(path: Path, copy: int = 1, *, ranges: bool = False) -> list:
    """MICROPLAN_CHECK's arguments for a book: the blocks at the formula's ranges, as values
    (xlwings' default conversion) or as Range objects (what a range argument receives)."""
    cells = sheet_cells(path)
    blocks = []
    for sheet, reference in formula_ranges(check_formula_in(path, copy)):
        rows = range_values(cells, sheet, reference)
        if ranges:
            blocks.append(range_argument(ExcelRange(path.name, sheet, reference, rows)))
        else:
            blocks.append(excel_range(rows))
    return blocks


def key(finding) -> tuple:
    if isinstance(finding, dict):
        return (finding["severity"], finding["rule"], finding["sheet"], finding["cell"],
                finding["message"])
    return (str(finding.severity), finding.rule, finding.sheet, finding.cell, finding.message)


def test_the_template_formula_passes_one_block_per_section(written):
    folder, plans = written
    formula = check_formula_in(folder / plans[0][0])
    # Wrapped so that a book opened without the add-in shows a plain message, not #NAME?.
    assert formula == addin_guarded(check_formula(MICROPLAN))
    assert [sheet for sheet, _ in formula_ranges(formula)] == [
        section.sheet for section in MICROPLAN.sections]


def test_same_findings_as_clusterbook_validate(written, command_findings):
    folder, plans = written
    caught = set()
    for name, kind in plans:
        path = folder / name
        expected = [key(f) for f in command_findings.get(name, [])]
        for as_ranges in (False, True):
            found = microplan_findings(arguments(path, ranges=as_ranges))
            assert [key(f) for f in found] == expected, (name, as_ranges)
        shown = MICROPLAN_CHECK(*arguments(path, ranges=True))
        assert shown == ([[severity.capitalize(), sheet, cell, message]
                          for severity, _, sheet, cell, message in expected]
                         or [["", "", "", "No problems found."]])
        if kind:
            rule = MISTAKES[kind]
            assert (rule in {f[1] for f in expected}) == (rule not in NEEDS_CLUSTER_LIST), name
            caught.add(rule)
    assert len(caught) >= len(set(MISTAKES.values())) - len(NEEDS_CLUSTER_LIST)
    clean = next(name for name, kind in plans if not kind)
    assert MICROPLAN_CHECK(*arguments(folder / clean)) == [["", "", "", "No problems found."]]


def test_a_second_cluster_in_the_book_is_named_by_its_copied_sheets(tmp_path, sample_region):
    codes = sample_region.clusters["cluster_code"].tolist()
    second, mistake = with_mistake(microplan_data(codes[17]), "unknown-role", seed=4)
    path = write_form(tmp_path / "two clusters.xlsx", MICROPLAN,
                      [microplan_data(codes[3]), second])
    expected = [key(f) for f in validate_command(path)[path.name]]
    assert expected and {f[2] for f in expected} <= {f"{s} (2)" for s in MICROPLAN.sheets}
    found = microplan_findings(arguments(path, copy=2, ranges=True))
    assert [key(f) for f in found] == expected
    assert any(f.rule == mistake.rule and f.sheet == "Team (2)" for f in found)
    assert MICROPLAN_CHECK(*arguments(path, copy=1, ranges=True)) == [
        ["", "", "", "No problems found."]]


def test_rows_inserted_above_a_section_move_the_cells_named(tmp_path, sample_region):
    code = sample_region.clusters["cluster_code"].iloc[222]
    data, _ = with_mistake(microplan_data(code), "bad-phone", seed=2)
    path = write_form(tmp_path / "plan.xlsx", MICROPLAN, data)
    edit(path, lambda book: book["Team"].insert_rows(2, amount=3))
    expected = [key(f) for f in validate_command(path)[path.name]]
    (phone,) = [f for f in expected if f[1] == "phone"]
    # Excel moves the formula's range with the rows: Team!$A$4:$E$504 becomes $A$7:$E$507.
    cells = sheet_cells(path)
    blocks = []
    for sheet, reference in formula_ranges(check_formula(MICROPLAN)):
        if sheet == "Team":
            reference = "$A$7:$E$507"
        blocks.append(ExcelRange(path.name, sheet, reference,
                                 range_values(cells, sheet, reference)))
    found = [key(f) for f in microplan_findings(blocks)]
    assert found == expected and phone in found


def test_a_deleted_sheet_is_reported_missing():
    # A formula pointing at a deleted sheet passes #REF!, which a range argument receives as
    # None (xlwings' own conversion).
    assert range_argument(None) is None
    rows = MICROPLAN_CHECK(None, None, None, None, None, None, None, None)
    assert rows[0][0] == "Error" and "missing" in rows[0][3]
    assert {row[1] for row in rows} == set(MICROPLAN.sheets)


def test_a_range_is_read_in_two_calls(written):
    folder, plans = written
    blocks = arguments(folder / plans[0][0], ranges=True)
    microplan_findings(blocks)
    assert [block.calls for block in blocks] == [2] * len(blocks)
