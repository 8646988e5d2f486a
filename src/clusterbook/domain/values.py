"""Reading numbers, percents and dates the way people type them in Excel and CSV files.

"1,234", " 95 ", "93%", "۹۵" (Eastern Arabic digits) and 95.0 are all numbers; "abc" is not.
Every parser here either returns a value or raises :class:`ValueError` whose text completes the
sentence "'<value>' ..." for the user ("is not a number").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Final

_DIGITS: Final = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬",  # Arabic-Indic, Eastern Arabic-Indic, Arabic decimal/thousands
    "0123456789" "0123456789" ".,",
)
_SPACES: Final = re.compile(r"[\s\u00a0\u202f\u2009]+")
_THOUSANDS: Final = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN or a string of nothing at all."""
    if value is None:
        return True
    # Called for every cell of every form: plain text and numbers first, without isinstance.
    kind = type(value)
    if kind is str:
        return value == ""
    if kind is float or kind is int:
        return value != value  # NaN
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def is_only_spaces(value: object) -> bool:
    """True for text that holds nothing but spaces (a common way of 'clearing' a cell)."""
    # Every character the pattern takes is a space to str.isspace(): text that does not start
    # with one is answered without it.
    return isinstance(value, str) and value != "" and value[0].isspace() and \
        _SPACES.sub("", value) == ""


def clean_text(value: object) -> str:
    """The text of a cell, trimmed; numbers that are whole print without '.0' (huge ones in
    the short form, 1e+308)."""
    if type(value) is str:
        return value.strip()  # the usual cell, and what the lines below make of it
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e16 else f"{value:g}"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def number_text(value: object) -> tuple[str, bool]:
    """Normalise typed number text: the plain digits and whether it carried a percent sign."""
    text = _SPACES.sub("", str(value).translate(_DIGITS))
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    return text, percent


def to_number(value: object) -> float | None:
    """A number from a cell, or None when the cell is blank.

    Raises ValueError("is not a number") for text that shows no number. A percent sign is
    dropped: "93%" reads as 93 (see :func:`to_percent_parts` to keep the sign).
    """
    number, _ = to_percent_parts(value)
    return number


def to_percent_parts(value: object) -> tuple[float | None, bool]:
    """A number from a cell and whether it was typed with a percent sign."""
    if is_blank(value):
        return None, False
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, CellError):
        raise ValueError(f"shows the error {value} (a formula that failed), not a number")
    if isinstance(value, int | float):
        number = float(value)
        if math.isinf(number):
            raise ValueError("is not a number")
        return number, False
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise ValueError("is a date, not a number")
    text, percent = number_text(value)
    if text == "":
        if is_only_spaces(value):
            return None, False
        raise ValueError("is not a number")
    if not _PLAIN.match(text):
        raise ValueError("is not a number")
    return float(text), percent


#: No count a form asks for (children, households, teams) comes near this.
MAX_COUNT: Final = 1_000_000_000


def to_whole_number(value: object) -> int | None:
    """A count: a whole number of zero or more, or None for a blank cell.

    Raises ValueError with the reason: not a number, a percentage, negative, not whole, or
    far larger than anything counted.
    """
    if isinstance(value, CellError):
        raise ValueError(f"shows the error {value} (a formula that failed), not a number")
    number, percent = to_percent_parts(value)
    if number is None:
        return None
    if percent:
        raise ValueError("is a percentage, not a count")
    if number < 0:
        raise ValueError("is negative; a count must be zero or more")
    if number > MAX_COUNT:
        raise ValueError(f"is far larger than anything counted (more than {MAX_COUNT:,})")
    if not number.is_integer():
        raise ValueError("is not a whole number")
    return int(number)


class CellError(str):
    """An error value Excel saved in a cell ('#DIV/0!', '#REF!'...): not empty, not a value."""

    __slots__ = ()


#: Characters nobody sees: zero-width spaces and joiners, the word joiner, a byte-order mark.
INVISIBLE: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
#: Most characters an Excel cell holds.
MAX_CELL_TEXT: Final = 32_767


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in a text (each once, in order)."""
    return list(dict.fromkeys(character for character in text if character in INVISIBLE))


def without_invisible(text: str) -> str:
    """Text without invisible characters (a code with a zero-width space is the same code)."""
    return "".join(character for character in text if character not in INVISIBLE)


def control_characters(text: str) -> list[str]:
    """Control characters in a text other than tab and line breaks (each once, in order)."""
    return list(dict.fromkeys(character for character in text
                              if (ord(character) < 32 and character not in "\t\n\r")
                              or 0x7F <= ord(character) < 0xA0))


_DATE_FORMATS: Final = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)


def to_date(value: object) -> dt.date | None:
    """A date from a cell: a real date, an Excel serial number, or common typed forms.

    Typed dates are read day first (15/03/2025), as in the field offices. Raises
    ValueError("is not a date") for anything else.
    """
    if is_blank(value) or is_only_spaces(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date typed into a cell without date format arrives as its serial number.
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("is not a date")
    if isinstance(value, str):
        text = _SPACES.sub(" ", value.translate(_DIGITS)).strip()
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise ValueError("is not a date")


def format_percent(value: float) -> str:
    """A parameter such as 10.0 or 92.5 as people write it: '10%', '92.5%'."""
    return f"{value:g}%"
