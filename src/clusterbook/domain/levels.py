"""Whose review book a merge writes (pure, light: the command line reads it for its help)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Level(StrEnum):
    """A region's review book (every cluster of the list is expected) or a province's (only
    those of the provinces the submissions are from). The value is what the book stores and
    the command line takes."""

    REGION = "region"
    PROVINCE = "province"


#: The levels, in the order people are offered them.
LEVELS: Final = tuple(Level)
