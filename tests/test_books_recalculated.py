"""Every book ClusterBook writes stores, beside each formula, the value a spreadsheet computes.

The blank templates and every book of the demo are recalculated by LibreOffice in one start;
each formula cell's stored value must equal the recalculated one (numbers to 1e-9, text
exactly), no cell may hold an error value, and each cell that needs the add-in must show the
plain message (LibreOffice has no add-in). Books whose only formulas are add-in cells (the
region's hundreds of submitted microplans) are recalculated once per distinct set of formulas:
without the add-in their result does not depend on their data.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cached_values import addin_refs, check_stored_values, formula_cells, recalculate_all
from clusterbook.jobs.demo import DemoRequest, run_demo
from clusterbook.templates import build_templates
from conftest import require_program

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


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


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("written")
    build_templates(root / "templates")
    run_demo(DemoRequest(root / "demo"))
    return root


def test_every_book_stores_what_libreoffice_computes(written, tmp_path):
    program = require_program("soffice")
    books = books_to_check(written / "templates", written / "demo")
    names = {path.relative_to(written).as_posix() for path in books}
    # The books with live formulas are all there: templates, data book, reports, checks.
    for expected in ("templates/campaign-databook.xlsx", "templates/cesm-microplan.xlsx",
                     "demo/databook.xlsx", "demo/ccpm/nutrition-report.xlsx",
                     "demo/ccpm/nutrition-final-report.xlsx"):
        assert expected in names
    assert any(name.endswith(".checked.xlsx") for name in names)

    recalculated = recalculate_all(program, books, tmp_path / "out")

    problems = {}
    for book in books:
        found = check_stored_values(book, recalculated[book])
        if found:
            problems[book.relative_to(written).as_posix()] = dict(list(found.items())[:5])
    assert problems == {}
