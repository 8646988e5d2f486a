"""What became of a file handed to ClusterBook: one typed outcome every caller uses.

The intake decides ``read``, ``unreadable``, ``not-a-form`` or ``refused`` from the file alone;
the merge may later turn ``read`` into ``superseded``. The merge says more for each file
(:class:`MergeOutcome`) and for each form that is not current (:class:`Replacement`); the review
book keeps these codes beside its words, and the words for people are made at the edge.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final, TypeVar

from clusterbook.domain.errors import ErrorKind


class Outcome(StrEnum):
    """The outcome of one file."""

    READ = "read"
    SUPERSEDED = "superseded"
    UNREADABLE = "unreadable"  # damaged, empty, cut off, protected with a password
    NOT_A_FORM = "not-a-form"  # another kind of file, another workbook, a lock file
    REFUSED = "refused"  # never opened or stopped early: a bomb, a pipe, a broken link


class MergeOutcome(StrEnum):
    """What the merge made of one file (stored in review books: values never change)."""

    MERGED = "merged"  # every form of the file is current
    PARTLY_CURRENT = "partly-current"  # some of its forms are current, others were replaced
    SUPERSEDED = "superseded"  # every form of it was replaced by a newer one
    COPY = "copy"  # an identical copy of a file counted already
    NOT_READABLE = "not-readable"
    NOT_A_SUBMISSION = "not-a-submission"  # a workbook of a form districts do not submit
    OTHER_PROVINCE = "other-province"  # carried by the review book of another province
    SKIPPED = "skipped"  # not read: not a workbook, or a checked copy ClusterBook wrote


class Replacement(StrEnum):
    """Why a form is not current (stored in review books: values never change)."""

    IDENTICAL = "identical"  # its file is an identical copy of another (same fingerprint)
    SAME_WORKBOOK = "same-workbook"  # a later copy of the form in the same workbook counts
    DATED_LATER = "dated-later"  # a submission dated later replaced it
    RECEIVED_LATER = "received-later"  # a submission received later replaced it


#: The outcome of each kind of unreadable file (see ``WorkbookError.kind``).
OUTCOME_OF_KIND: Final[dict[ErrorKind, Outcome]] = {
    ErrorKind.EMPTY: Outcome.UNREADABLE, ErrorKind.DAMAGED: Outcome.UNREADABLE,
    ErrorKind.PASSWORD: Outcome.UNREADABLE, ErrorKind.UNREADABLE: Outcome.UNREADABLE,
    ErrorKind.LOCK: Outcome.NOT_A_FORM, ErrorKind.NOT_WORKBOOK: Outcome.NOT_A_FORM,
    ErrorKind.NOT_TEMPLATE: Outcome.NOT_A_FORM, ErrorKind.UNKNOWN_VERSION: Outcome.NOT_A_FORM,
    ErrorKind.BOMB: Outcome.REFUSED, ErrorKind.TOO_LARGE: Outcome.REFUSED,
    ErrorKind.SPECIAL: Outcome.REFUSED,
}


_Code = TypeVar("_Code", Outcome, MergeOutcome, Replacement)


def code_of(codes: type[_Code], value: object) -> _Code | None:
    """A code stored in a book or a ledger, read back; None when none was stored (written
    before such codes were kept) or it is not one of ``codes``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return codes(value.strip())
    except ValueError:
        return None


def outcome_of(kind: ErrorKind) -> Outcome:
    """The outcome of a file that could not be read for a reason of this kind."""
    return OUTCOME_OF_KIND.get(kind, Outcome.UNREADABLE)


def printable(text: str) -> str:
    """Text safe to print on a terminal or to show as a name: control characters (which can
    move the cursor, clear the screen or change colours), tabs and line breaks (a value must not
    forge another line), bytes that are not UTF-8, characters that reverse the text's direction
    and characters nobody sees are shown as escapes such as ``\\x1b``. Every script's letters,
    and the joiners Dari and Pashto words need, are kept."""
    if text.isprintable():
        return text
    return _UNSAFE.sub(lambda match: _escape(match.group()), text)


#: C0 and C1 controls, DEL, stray surrogates (a file name's bytes that are not UTF-8), line
#: and paragraph separators, direction overrides and isolates, and invisible characters.
_UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e"
                            "\u2066-\u2069\u200b\u2060\ufeff\u00ad]")


def printable_in_cell(text: str) -> str:
    """Text a spreadsheet cell can hold: control characters (which the file format cannot
    store) and stray surrogates as escapes; tabs, line breaks and every script's letters and
    joiners kept."""
    if text.isprintable():
        return text
    return "".join(_escape(character) if _UNSTORABLE.match(character) else character
                   for character in text)


_UNSTORABLE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(character: str) -> str:
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
