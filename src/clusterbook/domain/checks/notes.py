"""Findings from what the reader noticed about a form's layout, and from files that cannot be
read as a form."""

from __future__ import annotations

from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.domain.findings import Finding
from clusterbook.domain.rule_registry import FILE_RULES, RULES, RuleId
from clusterbook.domain.submission import Document, Note
from clusterbook.forms import RecordSection


def note_finding(note: Note, document: Document) -> Finding:
    """A finding from something the reader noticed about a form's layout."""
    form = document.form
    title = form.section(note.section).title if note.section else form.title
    kind = note.kind
    if kind == RuleId.SHEET_MISSING:
        message = (f"The sheet '{note.sheet}' is missing, so {_section_name(title)} cannot be "
                   f"checked; keep the template's sheets and their names.")
    elif kind == RuleId.SHEET_RENAMED:
        message = (f"The sheet '{note.sheet}' was read as '{note.detail}' (its title says so); "
                   f"keep the template's sheet names.")
    elif kind == RuleId.HEADER_MISSING:
        message = (f"The header row of {_section_name(title)} was not found (expected "
                   f"{note.detail}); its values were read by the template's layout. Restore "
                   f"the header row.")
    elif kind == RuleId.HEADER_RENAMED:
        found = f"reads '{note.value}'" if note.value else "is empty"
        message = (f"This header {found}; its values were read as '{note.detail}' by their "
                   f"place in the form. Keep the template's headers.")
    elif kind in (RuleId.COLUMN_MISSING, RuleId.OPTIONAL_COLUMN_MISSING):
        what = "column" if note.section and not isinstance(form.section(note.section),
                                                            RecordSection) else "row"
        need = "it is required" if kind == RuleId.COLUMN_MISSING else "its values are lost"
        message = (f"The {what} '{note.detail}' of {_section_name(title)} is missing; {need}. "
                   f"Restore the template's layout.")
    elif kind == RuleId.COLUMN_EXTRA:
        message = (f"The column '{note.value}' is not part of {_section_name(title)}; its "
                   f"values are not read.")
    elif kind == RuleId.MERGED_CELLS:
        message = (f"Cells {note.cell} are merged; '{note.value}' was read for each of their "
                   f"rows. Unmerge them and type each value.")
    elif kind == RuleId.ONLY_SPACES:
        message = f"{note.detail} holds only spaces; type the value or clear the cell."
    elif kind == RuleId.FORM_MARK_MISSING:
        message = (f"The workbook has no template mark; it was read as the {note.detail} "
                   f"because it has that form's sheets. Fill the template as it was sent.")
    else:  # pragma: no cover - every note kind is handled above
        message = f"Rule {kind}."
    return Finding(RULES[kind].severity, kind, message, document.file, note.sheet, note.cell,
                   note.value)


def _section_name(title: str) -> str:
    return f"section '{title}'"


# --- unreadable files ---------------------------------------------------------------------------

def file_finding(error: WorkbookError) -> Finding:
    """The one finding of a file that cannot be read as a form."""
    rule = FILE_RULES.get(error.kind, RuleId.FILE_DAMAGED if error.kind is ErrorKind.UNREADABLE
                          else RuleId.FILE_NOT_WORKBOOK)
    reason = error.reason.strip()
    message = reason[:1].upper() + reason[1:]
    if message and message[-1] not in ".!?":
        message += "."
    return Finding(RULES[rule].severity, rule, message, error.file)
