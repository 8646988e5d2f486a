"""What every check is given, and the helpers the rules across fields share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clusterbook.domain.clusterlist import ClusterList
from clusterbook.domain.findings import Finding
from clusterbook.domain.rule_registry import RULES, RuleId
from clusterbook.domain.submission import Document, Table
from clusterbook.domain.typed_values import SPACES, read_or_none, value_text
from clusterbook.domain.values import clean_text


@dataclass(frozen=True)
class CheckContext:
    """What the checks know besides the file: the cluster list, whether submissions are
    final, and today's date (for deadlines and mistyped years)."""

    clusters: ClusterList | None = None
    final: bool = False
    today: dt.date = field(default_factory=dt.date.today)


class Found:
    """Collects the findings of one document."""

    def __init__(self, document: Document):
        self.document = document
        self.items: list[Finding] = []

    def add(self, rule: RuleId, message: str, sheet: str, cell: str, value: object = "") -> None:
        self.items.append(Finding(RULES[rule].severity, rule, message, self.document.file,
                                  sheet, cell, value_text(value) if value is not None else ""))


def record_value(document: Document, section: str, key: str) -> tuple[object, str, str]:
    """(value read as its kind or None, cell, sheet) of a record field."""
    record = document.records.get(section)
    if record is None:
        return None, "", document.sheet_of(section)
    item = next(f for f in record.section.fields if f.key == key)
    # A value that cannot be read is None here: the value rules report it.
    return read_or_none(item, record.values.get(key)), record.cell(key), record.sheet



def table_column(table: Table, key: str) -> list[tuple[int, object, object]]:
    """(sheet row, value read as its kind or None, value as typed) of a table column."""
    item = next(f for f in table.section.fields if f.key == key)
    if key not in table.columns:
        return []
    return [(row, read_or_none(item, raw), raw)
            for row, raw in zip(table.row_numbers, table.values(key), strict=True)]


def person_key(text: object) -> str:
    """A name or role as compared: spaces squeezed, case folded."""
    key = clean_text(text)
    # Printable text holds no space but ' ': without two in a row there is nothing to squeeze.
    if not key.isprintable() or "  " in key:
        key = SPACES.sub(" ", key)
    return key.casefold()


def duplicate_rows(found: Found, table: Table) -> None:
    """Report each row of a table that repeats an earlier one exactly."""
    seen: dict[tuple[str, ...], int] = {}
    keys = table.keys
    if not any(key in table.columns for key in keys):
        return
    for row, values in zip(table.row_numbers, table.rows, strict=True):
        signature = tuple(person_key(value) for value in values)
        if not any(signature):
            continue
        earlier = seen.get(signature)
        if earlier is None:
            seen[signature] = row
            continue
        first_key = next(key for key in keys if key in table.columns)
        found.add(RuleId.DUPLICATE_ROW, f"This row repeats row {earlier} of "
                                        f"'{table.section.title}' exactly; delete one of them.",
                  table.sheet, table.cell(first_key, row), values[keys.index(first_key)])
