"""Every form template opens and recalculates in LibreOffice with no error cell."""

from __future__ import annotations

import pytest

from clusterbook.excel.libreoffice import recalculate
from clusterbook.forms import FORMS
from clusterbook.templates import CHECKS_SHEET, write_form
from conftest import require_program
from spreadsheet import error_cells
from test_form_templates import filled_microplan

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_templates_recalculate_with_no_error_but_the_add_in_cells(tmp_path, form):
    require_program("soffice")
    data = filled_microplan() if form.form_id == "cesm-microplan" else None
    path = write_form(tmp_path / "in" / f"{form.form_id}.xlsx", form, data)

    errors = error_cells(recalculate(path, tmp_path / "out"))

    # The live check needs the add-in, which LibreOffice has not: exactly its cell shows
    # #NAME?, and nothing else errs.
    expected = {f"{CHECKS_SHEET}!A6": "#NAME?"} if form.live_check else {}
    assert errors == expected
