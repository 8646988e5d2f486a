"""The rules of the microplan and the action plan, once, as findings an officer can act on.

Every rule has an id, a severity and a meaning (:data:`RULES`; ``docs/validation-rules.md`` is
generated from it). Checks run on :class:`~clusterbook.domain.submission.Document` objects, so
a file, a live check formula in Excel and the merge all get the same answers:

- value rules (required, only spaces, counts, numbers, dates, choices, phone numbers) are
  defined once per field (:func:`field_rules`, :mod:`.value_rules`) and run over each
  section's rows;
- rules across fields, sheets and the cluster list (campaign window, responsible people, the
  low-performing list, sign-off) are plain code (:mod:`.microplan`, :mod:`.action_plan`).

The rules' ids and meanings are :mod:`clusterbook.domain.rule_registry`; cell values are read
by :mod:`clusterbook.domain.typed_values`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence

from clusterbook.domain.checks.action_plan import check_action_plan
from clusterbook.domain.checks.common import CheckContext
from clusterbook.domain.checks.microplan import check_microplan, clusters_twice
from clusterbook.domain.checks.notes import file_finding, note_finding
from clusterbook.domain.checks.value_rules import field_rules, value_findings
from clusterbook.domain.findings import Finding
from clusterbook.domain.rule_registry import FILE_RULES, RULES, Rule, rules_table
from clusterbook.domain.submission import Document
from clusterbook.forms import ACTION_PLAN, MICROPLAN
from clusterbook.forms.cells import parse_ref

#: The rules across fields of each form, by form id.
FORM_RULES: dict[str, Callable[[Document, CheckContext], list[Finding]]] = {
    MICROPLAN.form_id: check_microplan,
    ACTION_PLAN.form_id: check_action_plan,
}


def check_documents(documents: Iterable[Document],
                    context: CheckContext | None = None) -> list[Finding]:
    """Every finding of every document, in the order an officer reads them: by file, then
    sheet, row and column."""
    context = context or CheckContext()
    documents = list(documents)
    findings = [note_finding(note, document) for document in documents
                for note in document.notes]
    findings.extend(value_findings(documents, context))
    for document in documents:
        rules = FORM_RULES.get(document.form.form_id)
        if rules is not None:
            findings.extend(rules(document, context))
    findings.extend(clusters_twice(documents))
    return sort_findings(findings, documents)


def check_document(document: Document, context: CheckContext | None = None) -> list[Finding]:
    """Every finding of one document."""
    return check_documents([document], context)


def sort_findings(findings: Iterable[Finding],
                  documents: Sequence[Document] = ()) -> list[Finding]:
    """Findings by file (in the order given), then by sheet (in the form's order), row and
    column."""
    file_order: dict[str, int] = {}
    sheet_order: dict[tuple[str, str], int] = {}
    for document in documents:
        file_order.setdefault(document.file, len(file_order))
        for sheet in document.sheets:
            sheet_order.setdefault((document.file, sheet), len(sheet_order))

    def key(finding: Finding) -> tuple[int, int, int, int, str]:
        row = column = 0
        if finding.cell:
            with contextlib.suppress(ValueError):
                row, column = parse_ref(finding.cell.split(":")[0])
        return (file_order.get(finding.file, len(file_order)),
                sheet_order.get((finding.file, finding.sheet), -1 if not finding.sheet
                                else len(sheet_order)), row, column, finding.rule)

    return sorted(findings, key=key)


__all__ = [
    "FILE_RULES",
    "RULES",
    "CheckContext",
    "Rule",
    "check_document",
    "check_documents",
    "field_rules",
    "file_finding",
    "note_finding",
    "rules_table",
    "sort_findings",
    "value_findings",
]
