"""Every template as shipped, and a filled microplan, open and recalculate in LibreOffice with
no error cell: the add-in's own formula cells say plainly that they need the add-in
(LibreOffice has none), and every formula stores the value LibreOffice computes."""

from __future__ import annotations

import pytest

from cached_values import book_cells, check_stored_values
from clusterbook.excel.libreoffice import recalculate
from clusterbook.forms import MICROPLAN
from clusterbook.forms.databook import ADDIN_SHEET, DATABOOK, PCA
from clusterbook.templates import CHECKS_SHEET, TEMPLATES, template_path, write_form
from clusterbook.templates.form_book import ADDIN_MISSING
from conftest import require_program
from test_form_templates import filled_microplan

pytestmark = pytest.mark.libreoffice

#: The add-in formula cells of each template.
ADDIN_CELLS = {
    MICROPLAN.form_id: f"{CHECKS_SHEET}!A6",
    DATABOOK.form_id: f"{ADDIN_SHEET}!B{PCA.first_data_row}",
}


@pytest.mark.parametrize("name", [item.name for item in TEMPLATES])
def test_shipped_templates_recalculate_with_no_error_and_a_plain_add_in_message(
        recalculated_templates, name):
    recalculated = recalculated_templates[template_path(name)]
    assert check_stored_values(template_path(name), recalculated) == {}
    if name in ADDIN_CELLS:
        assert book_cells(recalculated)[ADDIN_CELLS[name]].value == ADDIN_MISSING


def test_a_filled_microplan_recalculates_with_no_error(tmp_path):
    require_program("soffice")
    path = write_form(tmp_path / "in" / "filled.xlsx", MICROPLAN, filled_microplan())
    recalculated = recalculate(path, tmp_path / "out")
    assert check_stored_values(path, recalculated) == {}
    assert book_cells(recalculated)[ADDIN_CELLS[MICROPLAN.form_id]].value == ADDIN_MISSING
