"""The value rules as pandera schemas: an independent way to run the rules of
:func:`clusterbook.domain.checks.value_rules.field_rules`, which the checks run directly.

A section's schema has one column per field and one check per rule, named after the rule, so
pandera's failure cases say (rule, field, row) as :func:`section_failures` does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import pandas as pd
import pandera.pandas as pa

from clusterbook.domain.checks import value_rules
from clusterbook.domain.checks.value_rules import field_rules
from clusterbook.forms.schema import Section


def _ok_when(predicate: Callable[[Any], bool], rule: str) -> pa.Check:
    """A pandera check named after its rule, passing the cells for which ``predicate`` holds.
    Empty cells are checked too (pandera skips them by default)."""
    def check(series: pd.Series) -> pd.Series:
        return series.map(predicate).astype(bool)
    return pa.Check(check, name=rule, ignore_na=False)


@lru_cache(maxsize=64)
def section_schema(section: Section, today: dt.date) -> pa.DataFrameSchema:
    """The pandera schema of a section's values: one column per field, each check named after
    the rule it enforces. Frames hold values as typed (object columns)."""
    columns = {
        item.key: pa.Column(object, nullable=True, checks=[
            _ok_when(test, rule) for rule, test in field_rules(item, today)])
        for item in section.fields}
    return pa.DataFrameSchema(columns, name=section.key)


def pandera_failures(section: Section, rows: list[list[object]], today: dt.date
                     ) -> list[tuple[str, str, int]]:
    """(rule, field key, row position) of every cell that breaks a value rule, found by the
    section's pandera schema."""
    frame = pd.DataFrame(rows, columns=[item.key for item in section.fields], dtype=object)
    try:
        section_schema(section, today).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    return [(str(rule), str(key), int(index)) for rule, key, index in zip(
        cases["check"], cases["column"], cases["index"], strict=True)
        if index is not None and key in frame.columns]


@contextlib.contextmanager
def through_pandera() -> Iterator[list[str]]:
    """The checks run their value rules through the sections' pandera schemas while inside;
    yields the keys of the sections validated so far."""
    direct = value_rules.section_failures
    validated: list[str] = []

    def failures(section: Section, rows: list[list[object]], today: dt.date
                 ) -> list[tuple[str, str, int]]:
        validated.append(section.key)
        return pandera_failures(section, rows, today)

    value_rules.section_failures = failures
    try:
        yield validated
    finally:
        value_rules.section_failures = direct
