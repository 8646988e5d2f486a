"""Every book of the demo stores, beside each formula, the value a spreadsheet computes.

Every book of the demo is recalculated by LibreOffice (the session's shared recalculation,
see conftest; the shipped templates are checked the same way in test_templates_libreoffice);
each formula cell's stored value must equal the recalculated one (numbers to 1e-9, text
exactly), no cell may hold an error value, and each cell that needs the add-in must show the
plain message (LibreOffice has no add-in). Books whose only formulas are add-in cells (the
region's hundreds of submitted microplans) are recalculated once per distinct set of
formulas: without the add-in their result does not depend on their data.
"""

from __future__ import annotations

import pytest

from cached_values import check_stored_values

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_every_book_stores_what_libreoffice_computes(recalculated_demo, demo_run):
    recalculated = {book.relative_to(demo_run.folder).as_posix(): (book, copy)
                    for book, copy in recalculated_demo.items()}
    # The books with live formulas are all there: data book, reports, checked copies.
    for expected in ("databook.xlsx", "ccpm/nutrition-report.xlsx",
                     "ccpm/nutrition-final-report.xlsx"):
        assert expected in recalculated
    assert any(name.endswith(".checked.xlsx") for name in recalculated)

    problems = {}
    for name, (book, copy) in recalculated.items():
        found = check_stored_values(book, copy)
        if found:
            problems[name] = dict(list(found.items())[:5])
    assert problems == {}
