"""The one exception tree of ClusterBook.

Every error ClusterBook raises on purpose derives from :class:`ClusterBookError`, so a caller
(CLI, launcher, UDF) can catch one class and show its message. Errors about the user's data
carry where the problem is, and their ``str()`` is a sentence an officer can act on::

    Kandahar_C012.xlsx › Team › C7: contact '12ab' is not a phone number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

SEPARATOR = " › "


@dataclass(frozen=True)
class Location:
    """Where a value sits: file, sheet and cell, or for text files a row and column."""

    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        parts = [part for part in (self.file, self.sheet) if part]
        if self.cell:
            parts.append(self.cell)
        elif self.row is not None and self.column:
            parts.append(f"row {self.row}, column '{self.column}'")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        elif self.column:
            parts.append(f"column '{self.column}'")
        return SEPARATOR.join(parts)


class ClusterBookError(Exception):
    """Root of every error ClusterBook raises on purpose."""


class InputError(ClusterBookError):
    """The user's data cannot be used as it is; the message says where and why.

    ``problems`` holds every problem found (not only the first), each with its location, so
    that an officer can fix a file in one pass.
    """

    def __init__(self, problems: Sequence[tuple[Location, str]] | str, *, limit: int = 10):
        if isinstance(problems, str):
            problems = [(Location(), problems)]
        self.problems: tuple[tuple[Location, str], ...] = tuple(problems)
        self.limit = limit
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [_sentence(location, text) for location, text in self.problems[: self.limit]]
        hidden = len(self.problems) - self.limit
        if hidden > 0:
            lines.append(f"... and {hidden} more problem{'s' if hidden != 1 else ''} like these.")
        return "\n".join(lines)

    @property
    def location(self) -> Location:
        """The location of the first problem."""
        return self.problems[0][0] if self.problems else Location()


class ErrorKind(StrEnum):
    """Why a file cannot be read or written as a workbook, for programs (the reason says it to
    people); the validator reports each kind under its rule (``FILE_RULES``)."""

    UNREADABLE = "unreadable"  # any other reason the reader gave
    EMPTY = "empty"
    DAMAGED = "damaged"  # corrupt or cut off
    PASSWORD = "password"
    LOCK = "lock"  # a lock file Excel leaves beside an open book
    BOMB = "bomb"  # a zip or XML bomb, refused unopened
    NOT_WORKBOOK = "not-workbook"  # another kind of file, a folder, or no file at all
    NOT_TEMPLATE = "not-template"  # a workbook, but not one of ClusterBook's
    UNKNOWN_VERSION = "unknown-version"
    SPECIAL = "special"  # a pipe, a device, a socket or a broken link
    TOO_LARGE = "too-large"
    FEEDBACK = "feedback"  # a review book whose reviewers' entries cannot be found
    UNWRITABLE = "unwritable"


class WorkbookError(ClusterBookError):
    """A file cannot be read or written as a workbook (corrupt, locked, protected, not ours).

    ``kind`` names the problem for programs (:class:`ErrorKind`); the validator reports it as
    the rule ``file-<kind>``.
    """

    def __init__(self, file: str, reason: str, *, kind: ErrorKind = ErrorKind.UNREADABLE):
        self.file = file
        self.reason = reason
        self.kind = ErrorKind(kind)
        super().__init__(_sentence(Location(file=file), reason))

    def __reduce__(self) -> tuple[object, ...]:
        # Sent between processes with the file's intake: rebuilt from its parts.
        return (type(self), (self.file, self.reason), {"kind": self.kind})


def _sentence(location: Location, text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    where = str(location)
    if where:
        return f"{where}: {text}"
    # a sentence starts with a capital, but a file name keeps its own spelling
    return text[:1].upper() + text[1:] if text.split(" ", 1)[0].isalpha() else text
