"""Builders of the standard workbooks from the form schemas in ``clusterbook.forms``.

``write_form(path, form, data=None)`` writes any form as a blank template or a filled copy;
``build_templates(folder)`` writes every standard template; ``template_path(name)`` finds a
built one.
"""

from __future__ import annotations

from clusterbook.templates.catalog import (
    TEMPLATES,
    Template,
    build_templates,
    template,
    template_path,
)
from clusterbook.templates.form_book import (
    BUILD_TIME,
    CHECKS_SHEET,
    INSTRUCTIONS_SHEET,
    add_form_sheets,
    check_formula,
    copy_sheet_name,
    entry_cell,
    write_form,
)

__all__ = ["BUILD_TIME", "CHECKS_SHEET", "INSTRUCTIONS_SHEET", "TEMPLATES", "Template",
           "add_form_sheets", "build_templates", "check_formula", "copy_sheet_name",
           "entry_cell", "template", "template_path", "write_form"]
