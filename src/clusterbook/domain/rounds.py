"""Putting campaign rounds in order.

Rounds are ordered by date when every label is a date, else naturally, so that "R2" comes
before "R10". Labels always come back exactly as they were given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from clusterbook.domain.values import to_date

_CHUNKS = re.compile(r"(\d+)")


def natural_key(label: object) -> tuple[Any, ...]:
    """Sort key that compares digit runs as numbers: 'R2' < 'R10', 'C9' < 'C10'."""
    text = str(label).strip().casefold()
    return tuple(
        (0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk)
        for chunk in _CHUNKS.split(text)
        if chunk
    )


def _as_date(label: object) -> dt.date | None:
    if isinstance(label, dt.date):
        return label if not isinstance(label, dt.datetime) else label.date()
    if isinstance(label, str) and not label.strip().isdigit():
        try:
            return to_date(label)
        except ValueError:
            return None
    return None


def order_rounds(
    labels: Iterable[Hashable], dates: dict[Hashable, dt.date] | None = None
) -> list[Hashable]:
    """The distinct round labels in campaign order.

    ``dates`` gives an explicit date per label (a round date column); otherwise labels that
    are all dates are ordered by date, and any other labels naturally.
    """
    distinct = list(dict.fromkeys(labels))
    if dates is not None and all(label in dates for label in distinct):
        return sorted(distinct, key=lambda label: (dates[label], natural_key(label)))
    as_dates = [_as_date(label) for label in distinct]
    if distinct and all(date is not None for date in as_dates):
        by_label = dict(zip(distinct, as_dates, strict=True))
        return sorted(distinct, key=lambda label: (by_label[label], natural_key(label)))
    return sorted(distinct, key=natural_key)


def round_span(ordered: Sequence[Hashable], first: Hashable, last: Hashable) -> list[Hashable]:
    """The rounds from ``first`` to ``last`` inclusive, in campaign order."""
    start, end = ordered.index(first), ordered.index(last)
    if start > end:
        start, end = end, start
    return list(ordered[start : end + 1])
