"""The rules of the microplan and the action plan: each one's id, severity, scope and meaning.

Every finding names one of these rules; ``docs/validation-rules.md`` is generated from
:data:`RULES` (:func:`rules_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from clusterbook.domain.errors import ErrorKind
from clusterbook.domain.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


class RuleId(StrEnum):
    """The id of a rule, as every finding names it (and books and ledgers store it)."""

    FILE_LOCK = "file-lock"
    FILE_EMPTY = "file-empty"
    FILE_DAMAGED = "file-damaged"
    FILE_PASSWORD = "file-password"
    FILE_BOMB = "file-bomb"
    FILE_NOT_WORKBOOK = "file-not-workbook"
    FILE_SPECIAL = "file-special"
    FILE_TOO_LARGE = "file-too-large"
    FILE_NAME = "file-name"
    REVIEW_BOOK_PROVINCE = "review-book-province"
    REVIEW_BOOK_CONFLICT = "review-book-conflict"
    NOT_TEMPLATE = "not-template"
    UNKNOWN_VERSION = "unknown-version"
    FORM_MARK_MISSING = "form-mark-missing"
    SHEET_MISSING = "sheet-missing"
    SHEET_RENAMED = "sheet-renamed"
    HEADER_MISSING = "header-missing"
    HEADER_RENAMED = "header-renamed"
    COLUMN_MISSING = "column-missing"
    OPTIONAL_COLUMN_MISSING = "optional-column-missing"
    COLUMN_EXTRA = "column-extra"
    MERGED_CELLS = "merged-cells"
    REQUIRED = "required"
    ONLY_SPACES = "only-spaces"
    COUNT = "count"
    COUNT_MINIMUM = "count-minimum"
    NUMBER = "number"
    CELL_ERROR = "cell-error"
    INVISIBLE_CHARACTERS = "invisible-characters"
    TEXT_TOO_LONG = "text-too-long"
    CONTROL_CHARACTERS = "control-characters"
    DATE = "date"
    DATE_IMPLAUSIBLE = "date-implausible"
    CHOICE = "choice"
    PHONE = "phone"
    DUPLICATE_ROW = "duplicate-row"
    CAMPAIGN_DATES = "campaign-dates"
    MISSED_ABOVE_TARGET = "missed-above-target"
    DATE_WINDOW = "date-window"
    REVIEW_DATE = "review-date"
    CLUSTER_UNKNOWN = "cluster-unknown"
    CLUSTER_DISTRICT = "cluster-district"
    CLUSTER_NAME = "cluster-name"
    CLUSTER_TWICE = "cluster-twice"
    TEAM_EMPTY = "team-empty"
    ISSUES_MISSING = "issues-missing"
    SIGN_OFF_INCOMPLETE = "sign-off-incomplete"
    RESPONSIBLE_NOT_IN_TEAM = "responsible-not-in-team"
    POPULATION_PER_HOUSEHOLD = "population-per-household"
    MISSED_WITHOUT_ISSUE = "missed-without-issue"
    TIMING_MISMATCH = "timing-mismatch"
    ACTION_NOT_LISTED = "action-not-listed"
    ACTION_MISSING = "action-missing"
    STRATEGY_MISSING = "strategy-missing"
    DEADLINE_PASSED = "deadline-passed"


@dataclass(frozen=True)
class Rule:
    """A rule: its id (in every finding), severity, where it applies and what it means."""

    id: RuleId
    severity: Severity
    scope: str
    meaning: str


FILES, LAYOUT, VALUES = "Files", "Layout", "Values"
MICROPLAN_SCOPE, ACTION_SCOPE = "Microplan", "Action plan"

#: Every rule by its id, in the order of the rules table.
RULES: Final[dict[RuleId, Rule]] = {rule.id: rule for rule in (
    Rule(RuleId.FILE_LOCK, WARNING, FILES,
         "A lock file (~$name) that Excel leaves while a book is open; it is skipped."),
    Rule(RuleId.FILE_EMPTY, ERROR, FILES, "The file is empty (0 bytes)."),
    Rule(RuleId.FILE_DAMAGED, ERROR, FILES,
         "The file is damaged or cut off (truncated) and cannot be read."),
    Rule(RuleId.FILE_PASSWORD, ERROR, FILES, "The workbook is protected with a password."),
    Rule(RuleId.FILE_BOMB, ERROR, FILES,
         "A part of the file really unpacks to far more than a workbook holds, or it declares XML "
         "entities (a zip or XML bomb); it is refused unopened."),
    Rule(RuleId.FILE_NOT_WORKBOOK, ERROR, FILES,
         "The file is not an .xlsx/.xlsm workbook (an old .xls, another kind of file, or "
         "missing)."),
    Rule(RuleId.FILE_SPECIAL, ERROR, FILES,
         "The path is a pipe, a device, a socket or a broken link, not a file; it is refused "
         "unopened."),
    Rule(RuleId.FILE_TOO_LARGE, ERROR, FILES,
         "The file, or a sheet's cells, reach far beyond any form; it is refused before the "
         "reader makes room for it."),
    Rule(RuleId.FILE_NAME, WARNING, FILES,
         "The file's name is not valid text (bytes of another alphabet, or control characters); "
         "it is shown with escapes. Rename the file."),
    Rule(RuleId.REVIEW_BOOK_PROVINCE, ERROR, FILES,
         "A review book carries clusters of another province; those rows are not merged (a book "
         "is trusted for its own province only)."),
    Rule(RuleId.REVIEW_BOOK_CONFLICT, WARNING, FILES,
         "A review book's form replaces one that came another way (read from the folder or "
         "carried by another book)."),
    Rule(RuleId.NOT_TEMPLATE, ERROR, FILES,
         "The workbook is not one of the ClusterBook templates."),
    Rule(RuleId.UNKNOWN_VERSION, ERROR, FILES,
         "The workbook is a template version this ClusterBook does not know."),
    Rule(RuleId.FORM_MARK_MISSING, WARNING, FILES,
         "The template mark is missing; the workbook was recognised by its sheets."),
    Rule(RuleId.SHEET_MISSING, ERROR, LAYOUT,
         "A sheet of the form is missing; its section cannot be checked."),
    Rule(RuleId.SHEET_RENAMED, WARNING, LAYOUT,
         "A sheet of the form was renamed; it was recognised by its title."),
    Rule(RuleId.HEADER_MISSING, ERROR, LAYOUT,
         "A table's header row was not found; values were read by the template's layout."),
    Rule(RuleId.HEADER_RENAMED, WARNING, LAYOUT,
         "A header or label was changed; the column or row was read by its place in the form."),
    Rule(RuleId.COLUMN_MISSING, ERROR, LAYOUT,
         "A required column (or record row) of the form was deleted."),
    Rule(RuleId.OPTIONAL_COLUMN_MISSING, WARNING, LAYOUT,
         "An optional column (or record row) of the form was deleted."),
    Rule(RuleId.COLUMN_EXTRA, WARNING, LAYOUT,
         "A column that is not part of the form holds values; they are not read."),
    Rule(RuleId.MERGED_CELLS, WARNING, LAYOUT,
         "Cells are merged over several rows; the value was read for each row."),
    Rule(RuleId.REQUIRED, ERROR, VALUES,
         "A required field is empty (in a table: in a row that has other values)."),
    Rule(RuleId.ONLY_SPACES, ERROR, VALUES, "A cell holds only spaces."),
    Rule(RuleId.COUNT, ERROR, VALUES,
         'A count is not a whole number of zero or more ("1,234" and " 95 " are read as the '
         "numbers they show)."),
    Rule(RuleId.COUNT_MINIMUM, ERROR, VALUES,
         "A count is below its minimum (sites and teams are at least 1)."),
    Rule(RuleId.NUMBER, ERROR, VALUES, "A number is not a number, or is out of its range."),
    Rule(RuleId.CELL_ERROR, ERROR, VALUES,
         "A cell shows an Excel error ('#DIV/0!', '#REF!'...) instead of a value."),
    Rule(RuleId.INVISIBLE_CHARACTERS, WARNING, VALUES,
         "A code holds characters nobody sees (a zero-width space); it is read without them."),
    Rule(RuleId.TEXT_TOO_LONG, WARNING, VALUES,
         "A text is longer than an Excel cell holds (32,767 characters); only the first 32,767 "
         "reach the review book."),
    Rule(RuleId.CONTROL_CHARACTERS, WARNING, VALUES,
         "A text holds control characters (invisible codes such as escape or bell); they are "
         "shown as escapes."),
    Rule(RuleId.DATE, ERROR, VALUES, "A date is not a date."),
    Rule(RuleId.DATE_IMPLAUSIBLE, ERROR, VALUES,
         "A date lies more than 5 years in the past or more than 2 years in the future (a "
         "mistyped year)."),
    Rule(RuleId.CHOICE, ERROR, VALUES,
         "A value is not one of the form's choices (roles, settlement types, timings, strategies, "
         "statuses)."),
    Rule(RuleId.PHONE, ERROR, VALUES,
         "A contact is not a phone number (7 to 15 digits; +, spaces and dashes allowed)."),
    Rule(RuleId.DUPLICATE_ROW, WARNING, VALUES, "The same row appears twice in a table."),
    Rule(RuleId.CAMPAIGN_DATES, ERROR, MICROPLAN_SCOPE, "The campaign ends before it starts."),
    Rule(RuleId.MISSED_ABOVE_TARGET, ERROR, MICROPLAN_SCOPE,
         "Missed children exceed the target population."),
    Rule(RuleId.DATE_WINDOW, ERROR, MICROPLAN_SCOPE,
         "An activity (section 5) or supervision (section 6) date lies outside 30 days before the "
         "campaign start to its end."),
    Rule(RuleId.REVIEW_DATE, ERROR, MICROPLAN_SCOPE,
         "A review meeting (section 7) date is not after the campaign end."),
    Rule(RuleId.CLUSTER_UNKNOWN, ERROR, MICROPLAN_SCOPE + ", " + ACTION_SCOPE,
         "The cluster code is not on the cluster list (when one is given)."),
    Rule(RuleId.CLUSTER_DISTRICT, ERROR, MICROPLAN_SCOPE + ", " + ACTION_SCOPE,
         "The cluster belongs to another district or province on the cluster list."),
    Rule(RuleId.CLUSTER_NAME, WARNING, MICROPLAN_SCOPE,
         "The cluster name differs from the cluster list's."),
    Rule(RuleId.CLUSTER_TWICE, ERROR, MICROPLAN_SCOPE,
         "Two microplans in one workbook are for the same cluster."),
    Rule(RuleId.TEAM_EMPTY, ERROR, MICROPLAN_SCOPE,
         "Section 2 (community engagement team) has no member."),
    Rule(RuleId.ISSUES_MISSING, ERROR, MICROPLAN_SCOPE,
         "Section 4 has no issue for a cluster on the low-performing list."),
    Rule(RuleId.SIGN_OFF_INCOMPLETE, ERROR, MICROPLAN_SCOPE,
         "A sign-off name or date is empty on a submission marked final (status 'Final', or "
         "checked with --final)."),
    Rule(RuleId.RESPONSIBLE_NOT_IN_TEAM, WARNING, MICROPLAN_SCOPE,
         "A responsible person in section 4, 5 or 7 is not a member (by name or role) of the team "
         "in section 2."),
    Rule(RuleId.POPULATION_PER_HOUSEHOLD, WARNING, MICROPLAN_SCOPE,
         "Target population per household is outside 0.2 to 3."),
    Rule(RuleId.MISSED_WITHOUT_ISSUE, WARNING, MICROPLAN_SCOPE,
         "Children were missed in the last round but section 4 lists no issue."),
    Rule(RuleId.TIMING_MISMATCH, WARNING, MICROPLAN_SCOPE,
         "The timing (before/during/after the campaign) does not match the date."),
    Rule(RuleId.ACTION_NOT_LISTED, WARNING, ACTION_SCOPE,
         "An action is for a cluster that is not on the low-performing list."),
    Rule(RuleId.ACTION_MISSING, WARNING, ACTION_SCOPE,
         "A low-performing cluster of the plan's district has no action."),
    Rule(RuleId.STRATEGY_MISSING, WARNING, ACTION_SCOPE,
         "A cluster has Pull actions but no Push action, or the other way round."),
    Rule(RuleId.DEADLINE_PASSED, WARNING, ACTION_SCOPE,
         "A 'Planned' action's deadline has passed."),
)}

#: The rule each kind of unreadable file is reported under (see WorkbookError.kind).
FILE_RULES: Final[dict[ErrorKind, RuleId]] = {
    ErrorKind.LOCK: RuleId.FILE_LOCK, ErrorKind.EMPTY: RuleId.FILE_EMPTY,
    ErrorKind.DAMAGED: RuleId.FILE_DAMAGED, ErrorKind.PASSWORD: RuleId.FILE_PASSWORD,
    ErrorKind.BOMB: RuleId.FILE_BOMB, ErrorKind.NOT_WORKBOOK: RuleId.FILE_NOT_WORKBOOK,
    ErrorKind.NOT_TEMPLATE: RuleId.NOT_TEMPLATE, ErrorKind.UNKNOWN_VERSION: RuleId.UNKNOWN_VERSION,
    ErrorKind.SPECIAL: RuleId.FILE_SPECIAL, ErrorKind.TOO_LARGE: RuleId.FILE_TOO_LARGE,
}


def rules_table() -> str:
    """The rules as a Markdown table (``docs/validation-rules.md``)."""
    lines = [
        "# Validation rules",
        "",
        "Generated from `clusterbook.domain.checks.RULES`; do not edit by hand "
        "(`python -m clusterbook.jobs.validate --rules` writes it).",
        "",
        "Errors block a submission from being counted as valid; warnings do not. Every finding "
        "names its file, sheet and cell.",
        "",
        "| rule | severity | applies to | meaning |",
        "|---|---|---|---|",
    ]
    for rule in RULES.values():
        lines.append(f"| `{rule.id}` | {rule.severity} | {rule.scope} | "
                     f"{rule.meaning.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


