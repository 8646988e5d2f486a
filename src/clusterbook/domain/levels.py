"""Whose review book a merge writes (pure, light: the command line reads it for its help)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from clusterbook.domain.errors import InputError


class Level(StrEnum):
    """A region's review book (every cluster of the list is expected) or a province's (only
    those of the provinces the submissions are from). The value is what the book stores and
    the command line takes."""

    REGION = "region"
    PROVINCE = "province"


#: The levels, in the order people are offered them.
LEVELS: Final = tuple(Level)


def level_of(text: str) -> Level:
    """The level named by ``text`` ('region' or 'province'), or a sentence saying which there
    are."""
    try:
        return Level(text)
    except ValueError:
        raise InputError(f"the level must be {' or '.join(repr(str(item)) for item in LEVELS)}, "
                         f"not '{text}'") from None
