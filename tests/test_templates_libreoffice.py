"""Every template as shipped, and a filled microplan, open and recalculate in LibreOffice with
no error cell but the add-in's own formula cells (LibreOffice has no add-in)."""

from __future__ import annotations

import pytest

from clusterbook.excel.libreoffice import recalculate
from clusterbook.forms import MICROPLAN
from clusterbook.forms.databook import ADDIN_SHEET, DATABOOK, PCA
from clusterbook.templates import CHECKS_SHEET, TEMPLATES, template_path, write_form
from conftest import require_program
from spreadsheet import error_cells
from test_form_templates import filled_microplan

pytestmark = pytest.mark.libreoffice

#: The add-in formula cells of each template: exactly these show #NAME? without the add-in.
ADDIN_CELLS = {
    MICROPLAN.form_id: {f"{CHECKS_SHEET}!A6": "#NAME?"},
    DATABOOK.form_id: {f"{ADDIN_SHEET}!B{PCA.first_data_row}": "#NAME?"},
}


@pytest.mark.parametrize("name", [item.name for item in TEMPLATES])
def test_shipped_templates_recalculate_with_no_error_but_the_add_in_cells(tmp_path, name):
    require_program("soffice")
    errors = error_cells(recalculate(template_path(name), tmp_path))
    assert errors == ADDIN_CELLS.get(name, {})


def test_a_filled_microplan_recalculates_with_no_error(tmp_path):
    require_program("soffice")
    path = write_form(tmp_path / "in" / "filled.xlsx", MICROPLAN, filled_microplan())
    assert error_cells(recalculate(path, tmp_path / "out")) == ADDIN_CELLS[MICROPLAN.form_id]
