"""The value rules: one test per rule and field (required, only spaces, counts, numbers,
dates, choices, phone numbers, odd text), and the messages of the cells that break them.

The rules are defined once per field (:func:`field_rules`) and run directly over each
section's rows (:func:`section_failures`); the tests hold a pandera schema built from the same
rules, and check that it finds the same cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from clusterbook.domain.checks.common import CheckContext
from clusterbook.domain.findings import Finding
from clusterbook.domain.outcomes import printable
from clusterbook.domain.rule_registry import RULES, RuleId
from clusterbook.domain.submission import Document, Record, Table
from clusterbook.domain.typed_values import (
    day_text,
    parse_or_reason,
    plausible_dates,
    typed_value,
    value_text,
)
from clusterbook.domain.values import (
    MAX_CELL_TEXT,
    CellError,
    control_characters,
    invisible_characters,
    is_blank,
    is_only_spaces,
    without_invisible,
)
from clusterbook.forms import Field, Kind, RecordSection
from clusterbook.forms.schema import Section


def _filled(value: object) -> bool:
    return not is_blank(value)


def _not_only_spaces(value: object) -> bool:
    return not is_only_spaces(value)


def _readable(item: Field) -> Callable[[Any], bool]:
    def ok(value: object) -> bool:
        return (is_blank(value) or is_only_spaces(value) or isinstance(value, CellError)
                or parse_or_reason(item, value)[0])
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
        ok, parsed = parse_or_reason(item, value)
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



_KIND_RULES: Final = {Kind.COUNT: RuleId.COUNT, Kind.NUMBER: RuleId.NUMBER,
                      Kind.PERCENT: RuleId.NUMBER, Kind.DATE: RuleId.DATE,
                      Kind.CHOICE: RuleId.CHOICE, Kind.PHONE: RuleId.PHONE}


_FIELD_RULES: dict[tuple[int, dt.date], tuple[Field, tuple[tuple[RuleId, Callable[[Any], bool]],
                                                                ...]]] = {}


def field_rules(item: Field, today: dt.date) -> tuple[tuple[RuleId, Callable[[Any], bool]], ...]:
    """The value rules of a field, each as (rule id, test a cell passes), in the order they
    are reported."""
    cached = _FIELD_RULES.get((id(item), today))
    if cached is not None and cached[0] is item:
        return cached[1]
    rules: list[tuple[RuleId, Callable[[Any], bool]]] = [(RuleId.CELL_ERROR, _no_cell_error)]
    if item.required:
        rules.append((RuleId.REQUIRED, _filled))
    rules.append((RuleId.ONLY_SPACES, _not_only_spaces))
    kind_rule = _KIND_RULES.get(item.kind)
    if kind_rule is not None:
        rules.append((kind_rule, _readable(item)))
    if item.minimum is not None or item.maximum is not None:
        rules.append((RuleId.COUNT_MINIMUM if item.kind is Kind.COUNT else RuleId.NUMBER,
                      _within_limits(item)))
    if item.kind is Kind.DATE:
        rules.append((RuleId.DATE_IMPLAUSIBLE, _plausible(item, today)))
    if item.key.endswith("code"):
        rules.append((RuleId.INVISIBLE_CHARACTERS, _visible))
    rules.extend(((RuleId.TEXT_TOO_LONG, _fits_a_cell), (RuleId.CONTROL_CHARACTERS, _no_control)))
    _FIELD_RULES[(id(item), today)] = (item, tuple(rules))
    return tuple(rules)


def section_failures(section: Section, rows: list[list[object]], today: dt.date
                     ) -> list[tuple[RuleId, str, int]]:
    """(rule, field key, row position) of every cell that breaks a value rule.

    The tests of :func:`field_rules` run directly: pandera's cost per check (about 4 ms per
    microplan even over 200 at once, 150 ms for one) would be most of the time of reading and
    checking a file.
    """
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


_ODD_VALUE_RULES: Final = frozenset({RuleId.CELL_ERROR, RuleId.INVISIBLE_CHARACTERS,
                                     RuleId.TEXT_TOO_LONG, RuleId.CONTROL_CHARACTERS})


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


def value_findings(documents: Sequence[Document], context: CheckContext) -> list[Finding]:
    """The value rules of every section of every document, section by section."""
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
            for rule, key, index in section_failures(section, rows, context.today):
                origin = origins[index]
                cell = _cell(origin, key)
                if not cell:
                    continue  # the field's column is missing: reported once, as layout
                value = rows[index][positions[key]]
                findings.append(_value_finding(
                    RuleId(rule), fields[key], value, origin.document, origin.part.sheet, cell,
                    in_table=origin.row is not None, today=context.today))
    return findings


def _value_finding(rule: RuleId, item: Field, value: object, document: Document, sheet: str,
                   cell: str, *, in_table: bool, today: dt.date) -> Finding:
    label, text = item.label, value_text(value)
    if rule == RuleId.REQUIRED:
        message = (f"{label} is empty; every filled row needs it." if in_table
                   else f"{label} is empty; it is required.")
        if item.help:
            message += f" {item.help}"
    elif rule == RuleId.ONLY_SPACES:
        message = f"{label} holds only spaces; type the value or clear the cell."
    elif rule == RuleId.COUNT:
        reason = str(parse_or_reason(item, value)[1]).split(";")[0]
        message = f"{label} must be a whole number of zero or more; '{text}' {reason}."
    elif rule == RuleId.COUNT_MINIMUM:
        message = f"{label} is {text}; it must be at least {item.minimum:g}."
    elif rule == RuleId.NUMBER:
        message = _number_message(item, value, text)
    elif rule == RuleId.DATE:
        message = (f"{label} '{text}' is not a date; type the date as day/month/year, "
                   f"e.g. 15/03/2025.")
    elif rule == RuleId.DATE_IMPLAUSIBLE:
        day = typed_value(item, value)
        assert isinstance(day, dt.date)
        when = "in the future" if day > today else "in the past"
        message = f"{label} {day_text(day)} lies far {when}; check the year."
    elif rule == RuleId.CHOICE:
        message = f"{label} '{text}' is not in the list; choose one of: {', '.join(item.choices)}."
    elif rule == RuleId.PHONE:
        message = (f"{label} '{text}' is not a phone number: 7 to 15 digits; +, spaces and "
                   f"dashes are fine (e.g. +93 70 123 4567).")
    elif rule == RuleId.CELL_ERROR:
        message = (f"{label} shows Excel's error {text} (a formula that failed), not a value; "
                   f"type the value itself.")
    elif rule == RuleId.INVISIBLE_CHARACTERS:
        hidden = ", ".join(f"U+{ord(c):04X}" for c in invisible_characters(text))
        message = (f"{label} '{printable(text)}' holds characters nobody sees ({hidden}); it "
                   f"was read as '{without_invisible(text)}'. Retype the code.")
    elif rule == RuleId.TEXT_TOO_LONG:
        message = (f"{label} holds {len(text):,} characters; an Excel cell keeps at most "
                   f"{MAX_CELL_TEXT:,}, so the review book shows only the first "
                   f"{MAX_CELL_TEXT:,}. Shorten it.")
        text = text[:200] + "…"
    elif rule == RuleId.CONTROL_CHARACTERS:
        codes = ", ".join(printable(c) for c in control_characters(text))
        message = (f"{label} '{printable(text[:200])}' holds control characters ({codes}) that "
                   f"no one can see; retype the text.")
        text = printable(text)
    else:  # pragma: no cover - every value rule is handled above
        message = f"{label} '{text}' breaks rule {rule}."
    return Finding(RULES[rule].severity, rule, message, document.file, sheet, cell, text)


def _number_message(item: Field, value: object, text: str) -> str:
    ok, _parsed = parse_or_reason(item, value)
    if not ok:
        return f"{item.label} '{text}' is not a number."
    low = "" if item.minimum is None else f"{item.minimum:g}"
    high = "" if item.maximum is None else f"{item.maximum:g}"
    span = f"from {low} to {high}" if low and high else (f"at least {low}" if low
                                                          else f"at most {high}")
    return f"{item.label} is {text}; it must be {span}."
