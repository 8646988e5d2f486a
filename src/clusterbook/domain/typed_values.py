"""Cell values read as their field's kind: counts, numbers, dates, choices and phone numbers.

The checks, the reader of filled forms, the merge and the review book read values the same way
through :func:`typed_value`; the words a finding shows a value or a date in are made here too.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Final

from clusterbook.domain.values import (
    clean_text,
    is_blank,
    is_only_spaces,
    to_date,
    to_number,
    to_whole_number,
)
from clusterbook.forms import Field, Kind

#: Dates further from today than this are mistyped years.
PAST_YEARS, FUTURE_YEARS = 5, 2
PHONE_DIGITS: Final = (7, 15)
_PHONE: Final = re.compile(r"^\+?[0-9][0-9 \-]*$")
_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" "0123456789")
SPACES: Final = re.compile(r"\s+")


@lru_cache(maxsize=65536, typed=True)
def parse_or_reason(item: Field, value: Any) -> tuple[bool, Any]:
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
    ok, parsed = parse_or_reason(item, value)
    return parsed if ok else value


def choice_of(item: Field, value: object) -> str:
    """The choice a value names, without regard to case and spaces ('volunteer  vaccinator')."""
    key = SPACES.sub(" ", clean_text(value)).casefold()
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

def plausible_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a form may hold: from 5 years before today to 2 years after."""
    return (_add_years(today, -PAST_YEARS), _add_years(today, FUTURE_YEARS))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def read_or_none(item: Field, raw: object) -> object:
    """A cell's value read as its field's kind; None when it is empty or cannot be read (as
    :func:`typed_value`, parsing the cell once)."""
    if is_blank(raw) or is_only_spaces(raw):
        return None
    ok, parsed = parse_or_reason(item, raw)
    return parsed if ok else None


__all__ = ["FUTURE_YEARS", "PAST_YEARS", "PHONE_DIGITS", "choice_of", "day_text",
           "parse_or_reason", "parse_value", "phone_text", "plausible_dates", "read_or_none",
           "typed_value", "value_text"]
