"""Builders of the standard workbooks from the form schemas in ``clusterbook.forms``.

``write_form(path, form, data=None)`` writes any form as a blank template or a filled copy;
``build_templates(folder)`` writes every standard template; ``template_path(name)`` finds a
built one and ``save_template(name, path)`` copies it (building it when missing). Names load
on first use, so listing the templates does not load the builder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clusterbook.templates.catalog import (
        TEMPLATES,
        Template,
        build_templates,
        save_template,
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

_HOMES = {
    "clusterbook.templates.catalog": ("TEMPLATES", "Template", "build_templates",
                                      "save_template", "template", "template_path"),
    "clusterbook.templates.form_book": ("BUILD_TIME", "CHECKS_SHEET", "INSTRUCTIONS_SHEET",
                                        "add_form_sheets", "check_formula", "copy_sheet_name",
                                        "entry_cell", "write_form"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = ["BUILD_TIME", "CHECKS_SHEET", "INSTRUCTIONS_SHEET", "TEMPLATES", "Template",
           "add_form_sheets", "build_templates", "check_formula", "copy_sheet_name",
           "entry_cell", "save_template", "template", "template_path", "write_form"]


def __getattr__(name: str) -> Any:
    if name in _HOME_OF:
        return getattr(importlib.import_module(_HOME_OF[name]), name)
    raise AttributeError(f"module 'clusterbook.templates' has no attribute {name!r}")
