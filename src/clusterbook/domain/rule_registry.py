"""The rules of the microplan and the action plan: each one's id, severity, scope and meaning.

Every finding names one of these rules; ``docs/validation-rules.md`` is generated from
:data:`RULES` (:func:`rules_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from clusterbook.domain.findings import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    """A rule: its id (in every finding), severity, where it applies and what it means."""

    id: str
    severity: Severity
    scope: str
    meaning: str


RULES: dict[str, Rule] = {}


def _rule(rule_id: str, severity: Severity, scope: str, meaning: str) -> str:
    RULES[rule_id] = Rule(rule_id, severity, scope, meaning)
    return rule_id


FILES, LAYOUT, VALUES = "Files", "Layout", "Values"
MICROPLAN_SCOPE, ACTION_SCOPE = "Microplan", "Action plan"

FILE_LOCK = _rule("file-lock", WARNING, FILES,
                  "A lock file (~$name) that Excel leaves while a book is open; it is skipped.")
FILE_EMPTY = _rule("file-empty", ERROR, FILES, "The file is empty (0 bytes).")
FILE_DAMAGED = _rule("file-damaged", ERROR, FILES,
                     "The file is damaged or cut off (truncated) and cannot be read.")
FILE_PASSWORD = _rule("file-password", ERROR, FILES, "The workbook is protected with a password.")
FILE_BOMB = _rule("file-bomb", ERROR, FILES,
                  "A part of the file really unpacks to far more than a workbook holds, or it "
                  "declares XML entities (a zip or XML bomb); it is refused unopened.")
FILE_NOT_WORKBOOK = _rule("file-not-workbook", ERROR, FILES,
                          "The file is not an .xlsx/.xlsm workbook (an old .xls, another kind "
                          "of file, or missing).")
FILE_SPECIAL = _rule("file-special", ERROR, FILES,
                     "The path is a pipe, a device, a socket or a broken link, not a file; it is "
                     "refused unopened.")
FILE_TOO_LARGE = _rule("file-too-large", ERROR, FILES,
                       "The file, or a sheet's cells, reach far beyond any form; it is refused "
                       "before the reader makes room for it.")
FILE_NAME = _rule("file-name", WARNING, FILES,
                  "The file's name is not valid text (bytes of another alphabet, or control "
                  "characters); it is shown with escapes. Rename the file.")
REVIEW_BOOK_PROVINCE = _rule("review-book-province", ERROR, FILES,
                             "A review book carries clusters of another province; those rows "
                             "are not merged (a book is trusted for its own province only).")
REVIEW_BOOK_CONFLICT = _rule("review-book-conflict", WARNING, FILES,
                             "A review book's form replaces one that came another way (read "
                             "from the folder or carried by another book).")
NOT_TEMPLATE = _rule("not-template", ERROR, FILES,
                     "The workbook is not one of the ClusterBook templates.")
UNKNOWN_VERSION = _rule("unknown-version", ERROR, FILES,
                        "The workbook is a template version this ClusterBook does not know.")
FORM_MARK_MISSING = _rule("form-mark-missing", WARNING, FILES,
                          "The template mark is missing; the workbook was recognised by its "
                          "sheets.")

SHEET_MISSING = _rule("sheet-missing", ERROR, LAYOUT,
                      "A sheet of the form is missing; its section cannot be checked.")
SHEET_RENAMED = _rule("sheet-renamed", WARNING, LAYOUT,
                      "A sheet of the form was renamed; it was recognised by its title.")
HEADER_MISSING = _rule("header-missing", ERROR, LAYOUT,
                       "A table's header row was not found; values were read by the "
                       "template's layout.")
HEADER_RENAMED = _rule("header-renamed", WARNING, LAYOUT,
                       "A header or label was changed; the column or row was read by its "
                       "place in the form.")
COLUMN_MISSING = _rule("column-missing", ERROR, LAYOUT,
                       "A required column (or record row) of the form was deleted.")
OPTIONAL_COLUMN_MISSING = _rule("optional-column-missing", WARNING, LAYOUT,
                                "An optional column (or record row) of the form was deleted.")
COLUMN_EXTRA = _rule("column-extra", WARNING, LAYOUT,
                     "A column that is not part of the form holds values; they are not read.")
MERGED_CELLS = _rule("merged-cells", WARNING, LAYOUT,
                     "Cells are merged over several rows; the value was read for each row.")

REQUIRED = _rule("required", ERROR, VALUES,
                 "A required field is empty (in a table: in a row that has other values).")
ONLY_SPACES = _rule("only-spaces", ERROR, VALUES, "A cell holds only spaces.")
COUNT = _rule("count", ERROR, VALUES,
              "A count is not a whole number of zero or more (\"1,234\" and \" 95 \" are read "
              "as the numbers they show).")
COUNT_MINIMUM = _rule("count-minimum", ERROR, VALUES,
                      "A count is below its minimum (sites and teams are at least 1).")
NUMBER = _rule("number", ERROR, VALUES, "A number is not a number, or is out of its range.")
CELL_ERROR = _rule("cell-error", ERROR, VALUES,
                   "A cell shows an Excel error ('#DIV/0!', '#REF!'...) instead of a value.")
INVISIBLE_CHARACTERS = _rule("invisible-characters", WARNING, VALUES,
                             "A code holds characters nobody sees (a zero-width space); it is "
                             "read without them.")
TEXT_TOO_LONG = _rule("text-too-long", WARNING, VALUES,
                      "A text is longer than an Excel cell holds (32,767 characters); only the "
                      "first 32,767 reach the review book.")
CONTROL_CHARACTERS = _rule("control-characters", WARNING, VALUES,
                           "A text holds control characters (invisible codes such as escape "
                           "or bell); they are shown as escapes.")
DATE = _rule("date", ERROR, VALUES, "A date is not a date.")
DATE_IMPLAUSIBLE = _rule("date-implausible", ERROR, VALUES,
                         "A date lies more than 5 years in the past or more than 2 years in "
                         "the future (a mistyped year).")
CHOICE = _rule("choice", ERROR, VALUES, "A value is not one of the form's choices "
                                        "(roles, settlement types, timings, strategies, "
                                        "statuses).")
PHONE = _rule("phone", ERROR, VALUES,
              "A contact is not a phone number (7 to 15 digits; +, spaces and dashes allowed).")
DUPLICATE_ROW = _rule("duplicate-row", WARNING, VALUES, "The same row appears twice in a table.")

CAMPAIGN_DATES = _rule("campaign-dates", ERROR, MICROPLAN_SCOPE,
                       "The campaign ends before it starts.")
MISSED_ABOVE_TARGET = _rule("missed-above-target", ERROR, MICROPLAN_SCOPE,
                            "Missed children exceed the target population.")
DATE_WINDOW = _rule("date-window", ERROR, MICROPLAN_SCOPE,
                    "An activity (section 5) or supervision (section 6) date lies outside 30 "
                    "days before the campaign start to its end.")
REVIEW_DATE = _rule("review-date", ERROR, MICROPLAN_SCOPE,
                    "A review meeting (section 7) date is not after the campaign end.")
CLUSTER_UNKNOWN = _rule("cluster-unknown", ERROR, MICROPLAN_SCOPE + ", " + ACTION_SCOPE,
                        "The cluster code is not on the cluster list (when one is given).")
CLUSTER_DISTRICT = _rule("cluster-district", ERROR, MICROPLAN_SCOPE + ", " + ACTION_SCOPE,
                         "The cluster belongs to another district or province on the cluster "
                         "list.")
CLUSTER_NAME = _rule("cluster-name", WARNING, MICROPLAN_SCOPE,
                     "The cluster name differs from the cluster list's.")
CLUSTER_TWICE = _rule("cluster-twice", ERROR, MICROPLAN_SCOPE,
                      "Two microplans in one workbook are for the same cluster.")
TEAM_EMPTY = _rule("team-empty", ERROR, MICROPLAN_SCOPE,
                   "Section 2 (community engagement team) has no member.")
ISSUES_MISSING = _rule("issues-missing", ERROR, MICROPLAN_SCOPE,
                       "Section 4 has no issue for a cluster on the low-performing list.")
SIGN_OFF_INCOMPLETE = _rule("sign-off-incomplete", ERROR, MICROPLAN_SCOPE,
                            "A sign-off name or date is empty on a submission marked final "
                            "(status 'Final', or checked with --final).")
RESPONSIBLE_NOT_IN_TEAM = _rule("responsible-not-in-team", WARNING, MICROPLAN_SCOPE,
                                "A responsible person in section 4, 5 or 7 is not a member (by "
                                "name or role) of the team in section 2.")
POPULATION_PER_HOUSEHOLD = _rule("population-per-household", WARNING, MICROPLAN_SCOPE,
                                 "Target population per household is outside 0.2 to 3.")
MISSED_WITHOUT_ISSUE = _rule("missed-without-issue", WARNING, MICROPLAN_SCOPE,
                             "Children were missed in the last round but section 4 lists no "
                             "issue.")
TIMING_MISMATCH = _rule("timing-mismatch", WARNING, MICROPLAN_SCOPE,
                        "The timing (before/during/after the campaign) does not match the "
                        "date.")

ACTION_NOT_LISTED = _rule("action-not-listed", WARNING, ACTION_SCOPE,
                          "An action is for a cluster that is not on the low-performing list.")
ACTION_MISSING = _rule("action-missing", WARNING, ACTION_SCOPE,
                       "A low-performing cluster of the plan's district has no action.")
STRATEGY_MISSING = _rule("strategy-missing", WARNING, ACTION_SCOPE,
                         "A cluster has Pull actions but no Push action, or the other way "
                         "round.")
DEADLINE_PASSED = _rule("deadline-passed", WARNING, ACTION_SCOPE,
                        "A 'Planned' action's deadline has passed.")

#: The rule each kind of unreadable file is reported under (see WorkbookError.kind).
FILE_RULES: Final = {
    "lock": FILE_LOCK, "empty": FILE_EMPTY, "damaged": FILE_DAMAGED, "password": FILE_PASSWORD,
    "bomb": FILE_BOMB, "not-workbook": FILE_NOT_WORKBOOK, "not-template": NOT_TEMPLATE,
    "unknown-version": UNKNOWN_VERSION, "special": FILE_SPECIAL, "too-large": FILE_TOO_LARGE,
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


