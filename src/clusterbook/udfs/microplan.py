"""The live check of a microplan: the findings of ``clusterbook validate``, in a cell.

The microplan template's Checks sheet holds ``=MICROPLAN_CHECK(...)`` over every section's
block (:func:`clusterbook.templates.form_book.check_formula`); Excel recalculates it as the
officer types, and it spills one row per finding. The blocks are read into a document
(:func:`clusterbook.domain.submission.document_from_blocks`) and checked by the same rules as
a file (:func:`clusterbook.domain.checks.check_documents`), so both give the same findings.
"""

from __future__ import annotations

from typing import Any, Final

from clusterbook.domain.checks import CheckContext, check_documents
from clusterbook.domain.findings import Finding
from clusterbook.domain.submission import document_from_blocks
from clusterbook.forms import MICROPLAN
from clusterbook.forms.cells import range_ref
from clusterbook.forms.schema import section_block
from clusterbook.udfs.register import excel_function
from clusterbook.udfs.shapes import BLANK, Cell, block_of

#: What MICROPLAN_CHECK gives for each finding, in order.
CHECK_COLUMNS: Final = ("Severity", "Sheet", "Cell", "Message")
#: Its one row when there is nothing to correct.
NOTHING_FOUND: Final = (BLANK, BLANK, BLANK, "No problems found.")

#: The help of each argument, from the form: the section and the block the template passes.
_SECTION_HELP: Final = {
    section.key: f"{section.title}: the block {range_ref(*section_block(section))} of sheet "
                 f"'{section.sheet}' (as the template's Checks sheet passes it)."
    for section in MICROPLAN.sections}


@excel_function(ranges=tuple(_SECTION_HELP), **_SECTION_HELP)
def MICROPLAN_CHECK(identification: Cell, team: Cell, mapping: Cell, issues: Cell,
                    activities: Cell, supervision: Cell, review: Cell, sign_off: Cell) -> Cell:
    """What to correct in a microplan, one row per problem: severity, sheet, cell, message, by
    the rules of clusterbook validate. One row saying 'No problems found.' when all is
    well."""
    return microplan_check([identification, team, mapping, issues, activities, supervision,
                            review, sign_off])


def microplan_check(arguments: list[Any], context: CheckContext | None = None
                    ) -> list[list[Any]]:
    """The rows of MICROPLAN_CHECK for its arguments (one per section, in the form's order)."""
    findings = microplan_findings(arguments, context)
    return [finding_row(finding) for finding in findings] or [list(NOTHING_FOUND)]


def microplan_findings(arguments: list[Any], context: CheckContext | None = None
                       ) -> list[Finding]:
    """The findings of a microplan from MICROPLAN_CHECK's arguments: xlwings Ranges (as Excel
    passes them), or each block's rows (as Python callers pass them)."""
    names = [section.key for section in MICROPLAN.sections]
    blocks = [block_of(argument, name) for argument, name in zip(arguments, names, strict=True)]
    # Cells are named where Excel says the blocks are: sheets copied for a second cluster
    # ('Team (2)'), rows inserted above a section.
    sheets = [block.sheet or section.sheet
              for block, section in zip(blocks, MICROPLAN.sections, strict=True)]
    document = document_from_blocks(MICROPLAN, [block.rows for block in blocks], sheets=sheets,
                                    origins=[block.origin for block in blocks])
    return check_documents([document], context)


def finding_row(finding: Finding) -> list[Any]:
    """A finding as a row of the Checks sheet: severity, sheet, cell, message."""
    return [str(finding.severity).capitalize(), finding.sheet, finding.cell, finding.message]
