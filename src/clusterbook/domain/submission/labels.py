"""Matching the labels and headers of a form as users retyped them to the form's fields."""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from functools import lru_cache
from typing import Final

from clusterbook.domain.values import clean_text
from clusterbook.forms import (
    Field,
)

_NOT_ALNUM: Final = re.compile(r"[\W_]+", re.UNICODE)
_PARENTHESES: Final = re.compile(r"\([^)]*\)")


def label_key(text: object) -> str:
    """A label reduced to letters and digits: 'Contact *' and 'contact:' -> 'contact'."""
    return _NOT_ALNUM.sub("", clean_text(text).casefold())


def _loose_key(text: object) -> str:
    """A label without its parenthesised parts: 'Timeline (date)' -> 'timeline'."""
    return _NOT_ALNUM.sub("", _PARENTHESES.sub("", clean_text(text)).casefold())


@lru_cache(maxsize=1024)
def _names(item: Field) -> tuple[frozenset[str], frozenset[str]]:
    texts = (item.label, *item.aliases)
    return (frozenset(label_key(text) for text in texts),
            frozenset(_loose_key(text) for text in texts))


def match_field(text: object, fields: Sequence[Field],
                taken: Container[str] = ()) -> Field | None:
    """The field a label or header names, exactly or without parenthesised parts; fields
    whose key is in ``taken`` are passed over."""
    if text is None or text == "":
        return None
    key, loose_key = _keys(text) if isinstance(text, str) else (label_key(text), "")
    if not key:
        return None
    exact, loose = _index(fields)
    found = exact.get(key)
    if found is None and loose_key:
        found = loose.get(loose_key)
    return None if found is None or found.key in taken else found


@lru_cache(maxsize=8192)
def _keys(text: str) -> tuple[str, str]:
    """A label's exact and loose keys (labels repeat from file to file)."""
    return label_key(text), _loose_key(text)


_INDEXES: dict[int, tuple[Sequence[Field], dict[str, Field], dict[str, Field]]] = {}


def _index(fields: Sequence[Field]) -> tuple[dict[str, Field], dict[str, Field]]:
    """Fields by their names and loose names (cached per tuple of fields)."""
    cached = _INDEXES.get(id(fields))
    if cached is not None and cached[0] is fields:
        return cached[1], cached[2]
    exact: dict[str, Field] = {}
    loose: dict[str, Field] = {}
    for item in fields:
        names = _names(item)
        for name in names[0]:
            exact.setdefault(name, item)
        for name in names[1]:
            if name:
                loose.setdefault(name, item)
    if isinstance(fields, tuple):
        _INDEXES[id(fields)] = (fields, exact, loose)
    return exact, loose


def _fallback_positions(fields: Sequence[Field], found: Mapping[str, int],
                        template: Mapping[str, int]) -> dict[str, int]:
    """Where each field not found by name probably is: next to its found neighbours."""
    guesses: dict[str, int] = {}
    keys = [item.key for item in fields]
    for index, key in enumerate(keys):
        if key in found:
            continue
        before = next(((j, found[keys[j]]) for j in range(index - 1, -1, -1)
                       if keys[j] in found), None)
        after = next(((j, found[keys[j]]) for j in range(index + 1, len(keys))
                      if keys[j] in found), None)
        if before is not None:
            guesses[key] = before[1] + index - before[0]
        elif after is not None:
            guesses[key] = after[1] - (after[0] - index)
        else:
            guesses[key] = template[key]
    return guesses


def place_unmatched(fields: Sequence[Field], found: dict[str, int],
                    template: Mapping[str, int], texts: Mapping[int, str],
                    claimed: set[int]) -> list[tuple[Field, int, str]]:
    """Put fields not found by name at their likely position when nothing else sits there;
    returns (field, position, text found there) for each field placed that way."""
    placed = []
    guesses = _fallback_positions(fields, found, template)
    for item in fields:
        position = guesses.get(item.key)
        if position is None or position < 1 or position in claimed:
            continue
        found[item.key] = position
        claimed.add(position)
        placed.append((item, position, texts.get(position, "")))
    return placed
