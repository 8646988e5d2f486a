"""The standard forms, each described once (see ``schema``)."""

from __future__ import annotations

from clusterbook.forms.action_plan import ACTION_PLAN
from clusterbook.forms.ccpm import CCPM
from clusterbook.forms.microplan import MICROPLAN
from clusterbook.forms.schema import (
    FORM_SHEET,
    LIVE_CHECK_ROWS,
    Field,
    Form,
    FormData,
    Kind,
    RecordSection,
    TableSection,
    section_block,
)

#: Every submission form, by form id.
FORMS: dict[str, Form] = {form.form_id: form for form in (MICROPLAN, ACTION_PLAN, CCPM)}

__all__ = ["ACTION_PLAN", "CCPM", "FORMS", "FORM_SHEET", "LIVE_CHECK_ROWS", "MICROPLAN", "Field",
           "Form", "FormData", "Kind", "RecordSection", "TableSection", "section_block"]
