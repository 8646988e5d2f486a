"""The rules of the microplan and the action plan, once, as findings an officer can act on.

Every rule has an id, a severity and a meaning (:data:`RULES`; ``docs/validation-rules.md`` is
generated from it). Checks run on :class:`~clusterbook.domain.submission.Document` objects, so
a file, a live check formula in Excel and the merge all get the same answers:

- value rules (required, only spaces, counts, numbers, dates, choices, phone numbers) are
  defined once per field (:func:`field_rules`) and make each section's pandera schema
  (:func:`section_schema`, for validating section DataFrames such as the merge's); the checks
  run the same tests directly, which is many times faster for forms of a few dozen rows;
- rules across fields, sheets and the cluster list (campaign window, responsible people, the
  low-performing list, sign-off) are plain code below.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

import pandas as pd
import pandera.pandas as pa

from clusterbook.domain.clusterlist import ClusterInfo, ClusterList, code_key, place_key
from clusterbook.domain.errors import WorkbookError
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.outcomes import printable
from clusterbook.domain.submission import Document, Note, Record, Table
from clusterbook.domain.values import (
    MAX_CELL_TEXT,
    CellError,
    clean_text,
    control_characters,
    invisible_characters,
    is_blank,
    is_only_spaces,
    to_date,
    to_number,
    to_whole_number,
    without_invisible,
)
from clusterbook.forms import ACTION_PLAN, MICROPLAN, Field, Kind, RecordSection
from clusterbook.forms.cells import parse_ref
from clusterbook.forms.schema import Section

ERROR, WARNING = Severity.ERROR, Severity.WARNING


# --- the rules ----------------------------------------------------------------------------------

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

#: Dates further from today than this are mistyped years.
PAST_YEARS, FUTURE_YEARS = 5, 2
#: Activities and supervision start at most this many days before the campaign.
DAYS_BEFORE_CAMPAIGN: Final = 30
PER_HOUSEHOLD: Final = (0.2, 3.0)
PHONE_DIGITS: Final = (7, 15)
_PHONE: Final = re.compile(r"^\+?[0-9][0-9 \-]*$")
_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" "0123456789")
_NAME_PARTS: Final = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*", re.IGNORECASE)
_SPACES: Final = re.compile(r"\s+")


# --- what a check is given ------------------------------------------------------------------

@dataclass(frozen=True)
class CheckContext:
    """What the checks know besides the file: the cluster list, whether submissions are
    final, and today's date (for deadlines and mistyped years)."""

    clusters: ClusterList | None = None
    final: bool = False
    today: dt.date = field(default_factory=dt.date.today)


# --- values -------------------------------------------------------------------------------------

@lru_cache(maxsize=65536, typed=True)
def _parse(item: Field, value: Any) -> tuple[bool, Any]:
    """(True, the value read) or (False, why not), for a non-blank cell."""
    try:
        return True, parse_value(item, value)
    except ValueError as error:
        return False, str(error)


def parse_value(item: Field, value: object) -> object:
    """A cell's value as its field's kind reads it; ValueError says why it cannot be."""
    kind = item.kind
    if kind is Kind.COUNT:
        return to_whole_number(value)
    if kind in (Kind.NUMBER, Kind.PERCENT):
        return to_number(value)
    if kind is Kind.DATE:
        return to_date(value)
    if kind is Kind.CHOICE:
        return choice_of(item, value)
    if kind is Kind.PHONE:
        return phone_text(value)
    return clean_text(value)


def typed_value(item: Field, value: object) -> object:
    """A cell's value read as its field's kind; a value that cannot be read stays as typed,
    and an empty cell (or one holding only spaces) is None."""
    if is_blank(value) or is_only_spaces(value):
        return None
    ok, parsed = _parse(item, value)
    return parsed if ok else value


def choice_of(item: Field, value: object) -> str:
    """The choice a value names, without regard to case and spaces ('volunteer  vaccinator')."""
    key = _SPACES.sub(" ", clean_text(value)).casefold()
    for choice in item.choices:
        if choice.casefold() == key:
            return choice
    raise ValueError("is not one of the choices")


def phone_text(value: object) -> str:
    """A phone number as typed (a number typed without text format reads as its digits)."""
    text = clean_text(value).translate(_DIGITS)
    digits = sum(char.isdigit() for char in text)
    if not _PHONE.match(text) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValueError("is not a phone number")
    return text


def value_text(value: object) -> str:
    """The value of a finding: text exactly as typed, other values as they print."""
    if isinstance(value, str):
        return value
    return clean_text(value)


def day_text(day: dt.date) -> str:
    """A date in a message, in the one date style of every book and message: '05/03/2025'."""
    return f"{day:%d/%m/%Y}"


# --- value rules: one pandera schema per section ------------------------------------------------

def _ok_when(predicate: Callable[[Any], bool], rule: str) -> pa.Check:
    """A pandera check named after its rule, passing the cells for which ``predicate`` holds.
    Empty cells are checked too (pandera skips them by default)."""
    def check(series: pd.Series) -> pd.Series:
        return series.map(predicate).astype(bool)
    return pa.Check(check, name=rule, ignore_na=False)


def _filled(value: object) -> bool:
    return not is_blank(value)


def _not_only_spaces(value: object) -> bool:
    return not is_only_spaces(value)


def _readable(item: Field) -> Callable[[Any], bool]:
    def ok(value: object) -> bool:
        return (is_blank(value) or is_only_spaces(value) or isinstance(value, CellError)
                or _parse(item, value)[0])
    return ok


def _no_cell_error(value: object) -> bool:
    return not isinstance(value, CellError)


def _visible(value: object) -> bool:
    return not (isinstance(value, str) and invisible_characters(value))


def _fits_a_cell(value: object) -> bool:
    return not (isinstance(value, str) and len(value) > MAX_CELL_TEXT)


def _no_control(value: object) -> bool:
    return not (isinstance(value, str) and not value.isprintable()
                and control_characters(value))


def _within_limits(item: Field) -> Callable[[Any], bool]:
    def ok(value: object) -> bool:
        if is_blank(value) or is_only_spaces(value):
            return True
        ok, parsed = _parse(item, value)
        if not ok or not isinstance(parsed, int | float):
            return True
        return not ((item.minimum is not None and parsed < item.minimum)
                    or (item.maximum is not None and parsed > item.maximum))
    return ok


def _plausible(item: Field, today: dt.date) -> Callable[[Any], bool]:
    first, last = plausible_dates(today)

    def ok(value: object) -> bool:
        parsed = typed_value(item, value)
        return not isinstance(parsed, dt.date) or first <= parsed <= last
    return ok


def plausible_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a form may hold: from 5 years before today to 2 years after."""
    return (_add_years(today, -PAST_YEARS), _add_years(today, FUTURE_YEARS))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


_KIND_RULES: Final = {Kind.COUNT: COUNT, Kind.NUMBER: NUMBER, Kind.PERCENT: NUMBER,
                      Kind.DATE: DATE, Kind.CHOICE: CHOICE, Kind.PHONE: PHONE}


_FIELD_RULES: dict[tuple[int, dt.date], tuple[Field, tuple[tuple[str, Callable[[Any], bool]],
                                                                ...]]] = {}


def field_rules(item: Field, today: dt.date) -> tuple[tuple[str, Callable[[Any], bool]], ...]:
    """The value rules of a field, each as (rule id, test a cell passes), in the order they
    are reported."""
    cached = _FIELD_RULES.get((id(item), today))
    if cached is not None and cached[0] is item:
        return cached[1]
    rules: list[tuple[str, Callable[[Any], bool]]] = [(CELL_ERROR, _no_cell_error)]
    if item.required:
        rules.append((REQUIRED, _filled))
    rules.append((ONLY_SPACES, _not_only_spaces))
    kind_rule = _KIND_RULES.get(item.kind)
    if kind_rule is not None:
        rules.append((kind_rule, _readable(item)))
    if item.minimum is not None or item.maximum is not None:
        rules.append((COUNT_MINIMUM if item.kind is Kind.COUNT else NUMBER,
                      _within_limits(item)))
    if item.kind is Kind.DATE:
        rules.append((DATE_IMPLAUSIBLE, _plausible(item, today)))
    if item.key.endswith("code"):
        rules.append((INVISIBLE_CHARACTERS, _visible))
    rules.extend(((TEXT_TOO_LONG, _fits_a_cell), (CONTROL_CHARACTERS, _no_control)))
    _FIELD_RULES[(id(item), today)] = (item, tuple(rules))
    return tuple(rules)


@lru_cache(maxsize=64)
def section_schema(section: Section, today: dt.date) -> pa.DataFrameSchema:
    """The pandera schema of a section's values: one column per field, each check named after
    the rule it enforces (see :func:`field_rules`). Frames hold values as typed (object
    columns)."""
    columns = {
        item.key: pa.Column(object, nullable=True, checks=[
            _ok_when(test, rule) for rule, test in field_rules(item, today)])
        for item in section.fields}
    return pa.DataFrameSchema(columns, name=section.key)


def _failures(section: Section, rows: list[list[object]], today: dt.date, *,
              pandera: bool = False) -> list[tuple[str, str, int]]:
    """(rule, field key, row position) of every cell that breaks a value rule.

    The same tests (:func:`field_rules`) run through the section's pandera schema, or
    directly: pandera's cost per check (about 4 ms per microplan even over 200 at once,
    150 ms for one) would be most of the time of reading and checking a file.
    """
    if pandera:
        frame = pd.DataFrame(rows, columns=[item.key for item in section.fields],
                             dtype=object)
        try:
            section_schema(section, today).validate(frame, lazy=True)
            return []
        except pa.errors.SchemaErrors as errors:
            cases = errors.failure_cases
        return [(str(rule), str(key), int(index)) for rule, key, index in zip(
            cases["check"], cases["column"], cases["index"], strict=True)
            if index is not None and key in frame.columns]
    failures = []
    for column, item in enumerate(section.fields):
        tests = field_rules(item, today)
        # The rules about odd text and error values only fail for such values: looked at only
        # for them (the same tests, in the same order; far quicker over thousands of cells).
        usual = [(rule, test) for rule, test in tests if rule not in _ODD_VALUE_RULES]
        for position, row in enumerate(rows):
            value = row[column]
            odd = isinstance(value, str) and (type(value) is CellError or not (
                value.isprintable() and len(value) <= MAX_CELL_TEXT))
            for rule, test in tests if odd else usual:
                if not test(value):
                    failures.append((rule, item.key, position))
    return failures


_ODD_VALUE_RULES: Final = frozenset({CELL_ERROR, INVISIBLE_CHARACTERS, TEXT_TOO_LONG,
                                     CONTROL_CHARACTERS})


@dataclass(frozen=True)
class _Origin:
    """Where a row of a section frame came from."""

    document: Document
    part: Record | Table
    row: int | None  # the sheet row of a table row; None for a record


def _section_rows(section: Section, documents: Sequence[Document]
                  ) -> tuple[list[list[object]], list[_Origin]]:
    rows: list[list[object]] = []
    origins: list[_Origin] = []
    keys = [item.key for item in section.fields]
    for document in documents:
        if isinstance(section, RecordSection):
            record = document.records.get(section.key)
            if record is None:
                continue
            rows.append([record.values.get(key) for key in keys])
            origins.append(_Origin(document, record, None))
        else:
            table = document.tables.get(section.key)
            if table is None:
                continue
            rows.extend(table.rows)
            origins.extend(_Origin(document, table, row) for row in table.row_numbers)
    return rows, origins


def _cell(origin: _Origin, key: str) -> str:
    if isinstance(origin.part, Record):
        return origin.part.cell(key)
    return origin.part.cell(key, origin.row or 0)


def value_findings(documents: Sequence[Document], context: CheckContext, *,
                   pandera: bool = False) -> list[Finding]:
    """The value rules of every section of every document, section by section (through the
    sections' pandera schemas when ``pandera`` is set; the findings are the same)."""
    findings: list[Finding] = []
    forms = {id(document.form): document.form for document in documents}
    for form in forms.values():
        mine = [document for document in documents if document.form is form]
        for section in form.sections:
            rows, origins = _section_rows(section, mine)
            if not rows:
                continue
            fields = {item.key: item for item in section.fields}
            positions = {item.key: column for column, item in enumerate(section.fields)}
            for rule, key, index in _failures(section, rows, context.today, pandera=pandera):
                origin = origins[index]
                cell = _cell(origin, key)
                if not cell:
                    continue  # the field's column is missing: reported once, as layout
                value = rows[index][positions[key]]
                findings.append(_value_finding(
                    str(rule), fields[key], value, origin.document, origin.part.sheet, cell,
                    in_table=origin.row is not None, today=context.today))
    return findings


def _value_finding(rule: str, item: Field, value: object, document: Document, sheet: str,
                   cell: str, *, in_table: bool, today: dt.date) -> Finding:
    label, text = item.label, value_text(value)
    if rule == REQUIRED:
        message = (f"{label} is empty; every filled row needs it." if in_table
                   else f"{label} is empty; it is required.")
        if item.help:
            message += f" {item.help}"
    elif rule == ONLY_SPACES:
        message = f"{label} holds only spaces; type the value or clear the cell."
    elif rule == COUNT:
        reason = str(_parse(item, value)[1]).split(";")[0]
        message = f"{label} must be a whole number of zero or more; '{text}' {reason}."
    elif rule == COUNT_MINIMUM:
        message = f"{label} is {text}; it must be at least {item.minimum:g}."
    elif rule == NUMBER:
        message = _number_message(item, value, text)
    elif rule == DATE:
        message = (f"{label} '{text}' is not a date; type the date as day/month/year, "
                   f"e.g. 15/03/2025.")
    elif rule == DATE_IMPLAUSIBLE:
        day = typed_value(item, value)
        assert isinstance(day, dt.date)
        when = "in the future" if day > today else "in the past"
        message = f"{label} {day_text(day)} lies far {when}; check the year."
    elif rule == CHOICE:
        message = f"{label} '{text}' is not in the list; choose one of: {', '.join(item.choices)}."
    elif rule == PHONE:
        message = (f"{label} '{text}' is not a phone number: 7 to 15 digits; +, spaces and "
                   f"dashes are fine (e.g. +93 70 123 4567).")
    elif rule == CELL_ERROR:
        message = (f"{label} shows Excel's error {text} (a formula that failed), not a value; "
                   f"type the value itself.")
    elif rule == INVISIBLE_CHARACTERS:
        hidden = ", ".join(f"U+{ord(c):04X}" for c in invisible_characters(text))
        message = (f"{label} '{printable(text)}' holds characters nobody sees ({hidden}); it "
                   f"was read as '{without_invisible(text)}'. Retype the code.")
    elif rule == TEXT_TOO_LONG:
        message = (f"{label} holds {len(text):,} characters; an Excel cell keeps at most "
                   f"{MAX_CELL_TEXT:,}, so the review book shows only the first "
                   f"{MAX_CELL_TEXT:,}. Shorten it.")
        text = text[:200] + "…"
    elif rule == CONTROL_CHARACTERS:
        codes = ", ".join(printable(c) for c in control_characters(text))
        message = (f"{label} '{printable(text[:200])}' holds control characters ({codes}) that "
                   f"no one can see; retype the text.")
        text = printable(text)
    else:  # pragma: no cover - every value rule is handled above
        message = f"{label} '{text}' breaks rule {rule}."
    return Finding(RULES[rule].severity, rule, message, document.file, sheet, cell, text)


def _number_message(item: Field, value: object, text: str) -> str:
    ok, _parsed = _parse(item, value)
    if not ok:
        return f"{item.label} '{text}' is not a number."
    low = "" if item.minimum is None else f"{item.minimum:g}"
    high = "" if item.maximum is None else f"{item.maximum:g}"
    span = f"from {low} to {high}" if low and high else (f"at least {low}" if low
                                                          else f"at most {high}")
    return f"{item.label} is {text}; it must be {span}."


# --- layout notes -------------------------------------------------------------------------------

def note_finding(note: Note, document: Document) -> Finding:
    """A finding from something the reader noticed about a form's layout."""
    form = document.form
    title = form.section(note.section).title if note.section else form.title
    kind = note.kind
    if kind == SHEET_MISSING:
        message = (f"The sheet '{note.sheet}' is missing, so {_section_name(title)} cannot be "
                   f"checked; keep the template's sheets and their names.")
    elif kind == SHEET_RENAMED:
        message = (f"The sheet '{note.sheet}' was read as '{note.detail}' (its title says so); "
                   f"keep the template's sheet names.")
    elif kind == HEADER_MISSING:
        message = (f"The header row of {_section_name(title)} was not found (expected "
                   f"{note.detail}); its values were read by the template's layout. Restore "
                   f"the header row.")
    elif kind == HEADER_RENAMED:
        found = f"reads '{note.value}'" if note.value else "is empty"
        message = (f"This header {found}; its values were read as '{note.detail}' by their "
                   f"place in the form. Keep the template's headers.")
    elif kind in (COLUMN_MISSING, OPTIONAL_COLUMN_MISSING):
        what = "column" if note.section and not isinstance(form.section(note.section),
                                                            RecordSection) else "row"
        need = "it is required" if kind == COLUMN_MISSING else "its values are lost"
        message = (f"The {what} '{note.detail}' of {_section_name(title)} is missing; {need}. "
                   f"Restore the template's layout.")
    elif kind == COLUMN_EXTRA:
        message = (f"The column '{note.value}' is not part of {_section_name(title)}; its "
                   f"values are not read.")
    elif kind == MERGED_CELLS:
        message = (f"Cells {note.cell} are merged; '{note.value}' was read for each of their "
                   f"rows. Unmerge them and type each value.")
    elif kind == ONLY_SPACES:
        message = f"{note.detail} holds only spaces; type the value or clear the cell."
    elif kind == FORM_MARK_MISSING:
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
    rule = FILE_RULES.get(error.kind, FILE_DAMAGED if error.kind == "unreadable"
                          else FILE_NOT_WORKBOOK)
    reason = error.reason.strip()
    message = reason[:1].upper() + reason[1:]
    if message and message[-1] not in ".!?":
        message += "."
    return Finding(RULES[rule].severity, rule, message, error.file)


# --- helpers for rules across fields --------------------------------------------------------------

class _Found:
    """Collects the findings of one document."""

    def __init__(self, document: Document):
        self.document = document
        self.items: list[Finding] = []

    def add(self, rule: str, message: str, sheet: str, cell: str, value: object = "") -> None:
        self.items.append(Finding(RULES[rule].severity, rule, message, self.document.file,
                                  sheet, cell, value_text(value) if value is not None else ""))


def _record_value(document: Document, section: str, key: str) -> tuple[object, str, str]:
    """(value read as its kind or None, cell, sheet) of a record field."""
    record = document.records.get(section)
    if record is None:
        return None, "", document.sheet_of(section)
    item = next(f for f in record.section.fields if f.key == key)
    # A value that cannot be read is None here: the value rules report it.
    return _read_or_none(item, record.values.get(key)), record.cell(key), record.sheet


def _read_or_none(item: Field, raw: object) -> object:
    """A cell's value read as its field's kind; None when it is empty or cannot be read (as
    :func:`typed_value`, parsing the cell once)."""
    if is_blank(raw) or is_only_spaces(raw):
        return None
    ok, parsed = _parse(item, raw)
    return parsed if ok else None


def _column(table: Table, key: str) -> list[tuple[int, object, object]]:
    """(sheet row, value read as its kind or None, value as typed) of a table column."""
    item = next(f for f in table.section.fields if f.key == key)
    if key not in table.columns:
        return []
    return [(row, _read_or_none(item, raw), raw)
            for row, raw in zip(table.row_numbers, table.values(key), strict=True)]


def _person_key(text: object) -> str:
    key = clean_text(text)
    # Printable text holds no space but ' ': without two in a row there is nothing to squeeze.
    if not key.isprintable() or "  " in key:
        key = _SPACES.sub(" ", key)
    return key.casefold()


def _duplicate_rows(found: _Found, table: Table) -> None:
    seen: dict[tuple[str, ...], int] = {}
    keys = table.keys
    if not any(key in table.columns for key in keys):
        return
    for row, values in zip(table.row_numbers, table.rows, strict=True):
        signature = tuple(_person_key(value) for value in values)
        if not any(signature):
            continue
        earlier = seen.get(signature)
        if earlier is None:
            seen[signature] = row
            continue
        first_key = next(key for key in keys if key in table.columns)
        found.add(DUPLICATE_ROW, f"This row repeats row {earlier} of "
                                 f"'{table.section.title}' exactly; delete one of them.",
                  table.sheet, table.cell(first_key, row), values[keys.index(first_key)])


# --- microplan rules ------------------------------------------------------------------------

def _microplan(document: Document, context: CheckContext) -> list[Finding]:
    found = _Found(document)
    start, _, _ = _record_value(document, "identification", "campaign_start")
    end, end_cell, ident_sheet = _record_value(document, "identification", "campaign_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        found.add(CAMPAIGN_DATES, f"The campaign ends ({day_text(end)}) before it starts "
                                  f"({day_text(start)}); check both dates.",
                  ident_sheet, end_cell, end)
        start = end = None
    window = (start, end) if isinstance(start, dt.date) and isinstance(end, dt.date) else None
    _counts(found, document)
    tables = document.tables
    if window is not None:
        for key in ("activities", "supervision"):
            if key in tables:
                _dates_in_window(found, tables[key], window, context.today)
        if "review" in tables:
            _review_dates(found, tables["review"], window[1])
    team = tables.get("team")
    if team is not None and team.empty:
        found.add(TEAM_EMPTY, "The community engagement team (section 2) has no member; list "
                              "at least one person with their role and contact.",
                  team.sheet, team.first_cell)
    if team is not None and not team.empty:
        _responsible_people(found, document, team)
    _issues(found, document, context)
    _cluster_on_list(found, document, context)
    _sign_off(found, document, context)
    for table in tables.values():
        _duplicate_rows(found, table)
    return found.items


def _counts(found: _Found, document: Document) -> None:
    target, target_cell, sheet = _record_value(document, "identification", "target_population")
    households, _, _ = _record_value(document, "identification", "households")
    missed, missed_cell, _ = _record_value(document, "identification", "missed_children")
    if isinstance(missed, int) and isinstance(target, int) and missed > target:
        found.add(MISSED_ABOVE_TARGET, f"Missed children ({missed:,}) exceed the target "
                                       f"population ({target:,}); check both numbers.",
                  sheet, missed_cell, missed)
    if isinstance(target, int) and isinstance(households, int) and target > 0:
        low, high = PER_HOUSEHOLD
        if households == 0 or not low <= target / households <= high:
            ratio = "no households" if households == 0 else \
                f"{target / households:.2f} children per household"
            found.add(POPULATION_PER_HOUSEHOLD,
                      f"A target population of {target:,} for {households:,} households is "
                      f"{ratio}; expected between {low:g} and {high:g}. Check both numbers.",
                      sheet, target_cell, target)


#: What the dated rows of a section are, in a sentence.
_WINDOW_NOUNS: Final = {"activities": "social mobilization activities",
                        "supervision": "supervision visits"}


def _dates_in_window(found: _Found, table: Table, window: tuple[dt.date, dt.date],
                     today: dt.date) -> None:
    start, end = window
    first = start - dt.timedelta(days=DAYS_BEFORE_CAMPAIGN)
    label = next(f.label for f in table.section.fields if f.key == "date")
    timings = {row: value for row, value, _ in _column(table, "timing")}
    plausible_first, plausible_last = plausible_dates(today)
    for row, day, raw in _column(table, "date"):
        if not isinstance(day, dt.date) or not plausible_first <= day <= plausible_last:
            continue  # not a date, or a mistyped year: reported by the value rules
        if not first <= day <= end:
            found.add(DATE_WINDOW,
                      f"{label} {day_text(day)} is outside the campaign window: "
                      f"{_WINDOW_NOUNS.get(table.section.key, 'these dates')} take place "
                      f"from {day_text(first)} "
                      f"(30 days before the start, {day_text(start)}) to the campaign end, "
                      f"{day_text(end)}.", table.sheet, table.cell("date", row), raw)
            continue
        timing = timings.get(row)
        if isinstance(timing, str):
            _timing(found, table, row, timing, day, window)


def _timing(found: _Found, table: Table, row: int, timing: str, day: dt.date,
            window: tuple[dt.date, dt.date]) -> None:
    start, end = window
    actual = ("Before the campaign" if day < start else
              "After the campaign" if day > end else "During the campaign")
    if timing != actual:
        found.add(TIMING_MISMATCH, f"Timing says '{timing}', but the date {day_text(day)} is "
                                   f"{actual.lower()} ({day_text(start)} to {day_text(end)}).",
                  table.sheet, table.cell("timing", row), timing)


def _review_dates(found: _Found, table: Table, end: dt.date) -> None:
    label = next(f.label for f in table.section.fields if f.key == "date")
    for row, day, raw in _column(table, "date"):
        if isinstance(day, dt.date) and day <= end:
            found.add(REVIEW_DATE, f"{label} {day_text(day)} is not after the campaign end "
                                   f"({day_text(end)}); the review meeting comes after the "
                                   f"campaign.", table.sheet, table.cell("date", row), raw)


def _members(team: Table) -> set[str]:
    """Team members by name and by role, for matching 'Responsible' cells."""
    people = {_person_key(name) for _, name, _ in _column(team, "name") if name}
    roles = {_person_key(role) for _, role, _ in _column(team, "role") if role}
    return (people | roles) - {""}


def _responsible_people(found: _Found, document: Document, team: Table) -> None:
    members = _members(team)
    team_section = team.section.number
    for key in ("issues", "activities", "review"):
        table = document.tables.get(key)
        if table is None:
            continue
        item = next(f for f in table.section.fields if f.key == "responsible")
        for row, person, raw in _column(table, "responsible"):
            if not isinstance(person, str) or not person:
                continue
            names = [part for part in _NAME_PARTS.split(person) if part.strip()]
            if all(_person_key(name) in members for name in names):
                continue
            found.add(RESPONSIBLE_NOT_IN_TEAM,
                      f"{item.label} '{person}' is not a member of the team in section "
                      f"{team_section} ('{team.sheet}'); add them to the team or name a member.",
                      table.sheet, table.cell("responsible", row), raw)


def _issues(found: _Found, document: Document, context: CheckContext) -> None:
    issues = document.tables.get("issues")
    if issues is None or not issues.empty:
        return
    code, _, _ = _record_value(document, "identification", "cluster_code")
    info = context.clusters.get(code) if context.clusters is not None and code else None
    if info is not None and info.low_performing and context.clusters is not None \
            and context.clusters.knows_status:
        found.add(ISSUES_MISSING, f"Cluster {info.code} is on the low-performing list, but "
                                  f"section 4 lists no issue; describe its key issues, the "
                                  f"mitigation, who is responsible and by when.",
                  issues.sheet, issues.first_cell)
    missed, missed_cell, sheet = _record_value(document, "identification", "missed_children")
    if isinstance(missed, int) and missed > 0:
        found.add(MISSED_WITHOUT_ISSUE, f"{missed:,} children were missed in the last round, "
                                        f"but section 4 lists no issue; say why and what "
                                        f"will be done.", sheet, missed_cell, missed)


def _cluster_on_list(found: _Found, document: Document, context: CheckContext) -> None:
    if context.clusters is None:
        return
    code, code_cell, sheet = _record_value(document, "identification", "cluster_code")
    if not code:
        return
    info = context.clusters.get(code)
    if info is None:
        found.add(CLUSTER_UNKNOWN, f"Cluster code '{code}' is not on the cluster list "
                                   f"({context.clusters.source or 'given'}); check the code.",
                  sheet, code_cell, code)
        return
    _same_place(found, document, info, "identification", sheet)
    name, name_cell, _ = _record_value(document, "identification", "cluster_name")
    if name and info.name and place_key(name) != place_key(info.name):
        found.add(CLUSTER_NAME, f"Cluster {info.code} is called '{info.name}' on the cluster "
                                f"list, not '{name}'.", sheet, name_cell, name)


def _same_place(found: _Found, document: Document, info: ClusterInfo, section: str,
                sheet: str, *, cell: str = "", code_text: str = "") -> None:
    """Report a cluster whose district or province differs from the list's."""
    for key, expected in (("district", info.district), ("province", info.province)):
        typed, typed_cell, _ = _record_value(document, section, key)
        if not typed or not expected or place_key(typed) == place_key(expected):
            continue
        where = f"{info.district} ({info.province})"
        found.add(CLUSTER_DISTRICT, f"Cluster {info.code} belongs to {where} on the cluster "
                                    f"list, not to {key} '{typed}'.",
                  sheet, cell or typed_cell, code_text or typed)
        return


def _sign_off(found: _Found, document: Document, context: CheckContext) -> None:
    record = document.records.get("sign_off")
    if record is None:
        return
    status, _, _ = _record_value(document, "sign_off", "status")
    if not (context.final or status == "Final"):
        return
    why = "marked 'Final'" if status == "Final" else "checked as final"
    for item in record.section.fields:
        if item.key == "status" or not record.cell(item.key):
            continue
        if is_blank(record.values.get(item.key)) or is_only_spaces(record.values.get(item.key)):
            found.add(SIGN_OFF_INCOMPLETE, f"{item.label} is empty; a submission {why} needs "
                                           f"every sign-off name and date.",
                      record.sheet, record.cell(item.key))


def _clusters_twice(documents: Sequence[Document]) -> list[Finding]:
    """Two microplans of one workbook for the same cluster."""
    findings = []
    first_seen: dict[tuple[str, str], Document] = {}
    for document in documents:
        if document.form is not MICROPLAN:
            continue
        code, cell, sheet = _record_value(document, "identification", "cluster_code")
        if not code:
            continue
        key = (document.file, code_key(code))
        earlier = first_seen.setdefault(key, document)
        if earlier is document:
            continue
        findings.append(Finding(ERROR, CLUSTER_TWICE,
                                f"Cluster {code} has a microplan on sheet "
                                f"'{earlier.sheet_of('identification')}' already; send one "
                                f"microplan per cluster.", document.file, sheet, cell,
                                value_text(code)))
    return findings


# --- action plan rules --------------------------------------------------------------------------

def _action_plan(document: Document, context: CheckContext) -> list[Finding]:
    found = _Found(document)
    actions = document.tables.get("actions")
    if actions is None:
        return found.items
    for row, status, _ in _column(actions, "status"):
        if status != "Planned":
            continue
        deadline = next((day for r, day, _ in _column(actions, "deadline") if r == row), None)
        if isinstance(deadline, dt.date) and deadline < context.today:
            found.add(DEADLINE_PASSED, f"This action is still 'Planned' but its deadline, "
                                       f"{day_text(deadline)}, has passed; update its status "
                                       f"or set a new deadline.",
                      actions.sheet, actions.cell("deadline", row), deadline)
    _strategies(found, actions)
    if context.clusters is not None:
        _actions_on_list(found, document, actions, context.clusters)
    _duplicate_rows(found, actions)
    return found.items


def _strategies(found: _Found, actions: Table) -> None:
    by_cluster: dict[str, list[tuple[int, object]]] = {}
    strategies = {row: value for row, value, _ in _column(actions, "strategy")}
    for row, code, _ in _column(actions, "cluster_code"):
        if isinstance(code, str) and code:
            by_cluster.setdefault(code_key(code), []).append((row, code))
    for rows in by_cluster.values():
        present = {strategies.get(row) for row, _ in rows} - {None}
        if len(present) != 1:
            continue
        (have,) = present
        other = "Push" if have == "Pull" else "Pull"
        row, code = rows[0]
        found.add(STRATEGY_MISSING, f"Cluster {code} has {have} actions but no {other} action; "
                                    f"plan both (Pull: demand, Push: supply).",
                  actions.sheet, actions.cell("strategy", row), have)


def _actions_on_list(found: _Found, document: Document, actions: Table,
                     clusters: ClusterList) -> None:
    district, _, _sheet = _record_value(document, "details", "district")
    seen: set[str] = set()
    for row, code, raw in _column(actions, "cluster_code"):
        if not isinstance(code, str) or not code:
            continue
        cell = actions.cell("cluster_code", row)
        info = clusters.get(code)
        if info is None:
            found.add(CLUSTER_UNKNOWN, f"Cluster code '{code}' is not on the cluster list "
                                       f"({clusters.source or 'given'}); check the code.",
                      actions.sheet, cell, raw)
            continue
        seen.add(code_key(info.code))
        if district and place_key(district) != place_key(info.district):
            found.add(CLUSTER_DISTRICT, f"Cluster {info.code} belongs to {info.district} "
                                        f"({info.province}) on the cluster list, not to this "
                                        f"plan's district '{district}'.",
                      actions.sheet, cell, raw)
        elif clusters.knows_status and not info.low_performing:
            found.add(ACTION_NOT_LISTED, f"Cluster {info.code} is not on the low-performing "
                                         f"list; actions are planned for listed clusters.",
                      actions.sheet, cell, raw)
    if district and clusters.knows_status:
        for info in clusters.low_performing_in(district):
            if code_key(info.code) not in seen:
                found.add(ACTION_MISSING, f"Cluster {info.code} ({info.name or 'no name'}) is "
                                          f"on the low-performing list but has no action in "
                                          f"this plan.", actions.sheet, actions.first_cell,
                          info.code)


# --- all together ---------------------------------------------------------------------------------

#: The rules across fields of each form, by form id.
FORM_RULES: dict[str, Callable[[Document, CheckContext], list[Finding]]] = {
    MICROPLAN.form_id: _microplan,
    ACTION_PLAN.form_id: _action_plan,
}


def check_documents(documents: Iterable[Document], context: CheckContext | None = None, *,
                    pandera: bool = False) -> list[Finding]:
    """Every finding of every document, in the order an officer reads them: by file, then
    sheet, row and column."""
    context = context or CheckContext()
    documents = list(documents)
    findings = [note_finding(note, document) for document in documents
                for note in document.notes]
    findings.extend(value_findings(documents, context, pandera=pandera))
    for document in documents:
        rules = FORM_RULES.get(document.form.form_id)
        if rules is not None:
            findings.extend(rules(document, context))
    findings.extend(_clusters_twice(documents))
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


__all__ = [
    "FILE_RULES",
    "RULES",
    "CheckContext",
    "Rule",
    "check_document",
    "check_documents",
    "choice_of",
    "day_text",
    "field_rules",
    "file_finding",
    "note_finding",
    "parse_value",
    "phone_text",
    "plausible_dates",
    "rules_table",
    "section_schema",
    "sort_findings",
    "typed_value",
    "value_findings",
    "value_text",
]
