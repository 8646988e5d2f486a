"""When the next CCPM is due: a year on, sooner after a Weak or Unsatisfactory function, and
3 to 6 months after the onset of a new emergency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from clusterbook.domain.ccpm.scales import normalise_label
from clusterbook.domain.ccpm.scores import NEEDS_ACTION
from clusterbook.forms.ccpm_bank import Crisis

#: Why the next CCPM is due when it is (the report book's formula says the same words).
DUE_YEARLY: Final = "a year after this CCPM"
DUE_SOONER: Final = "6 months after this CCPM: a function is Weak or Unsatisfactory"
DUE_FIRST: Final = "first CCPM of a new emergency: 3 to 6 months after onset"

@dataclass(frozen=True)
class NextDue:
    """When the next CCPM is due: from ``earliest`` to ``due`` (the same day unless a window),
    and why."""

    earliest: dt.date
    due: dt.date
    reason: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (like Excel's
    EDATE)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def next_due(last: dt.date | None, *, crisis: str = Crisis.PROTRACTED, onset: dt.date | None = None,
             statuses: Iterable[str] = ()) -> NextDue:
    """When the next CCPM is due.

    Protracted crisis: a year after the last CCPM. New emergency: 3 to 6 months after onset
    for the first CCPM (when none was held since onset), then yearly. Either way, 6 months
    after the last CCPM when any function's (final) status is Weak or Unsatisfactory.
    """
    emergency = normalise_label(crisis) == Crisis.NEW_EMERGENCY.casefold()
    if emergency and onset is not None and (last is None or last < onset):
        return NextDue(add_months(onset, 3), add_months(onset, 6), DUE_FIRST)
    if last is None:
        raise ValueError("the date of the last CCPM is needed (or, for a new emergency, the "
                         "date of onset)")
    if any(status in NEEDS_ACTION for status in statuses):
        due = add_months(last, 6)
        return NextDue(due, due, DUE_SOONER)
    due = add_months(last, 12)
    return NextDue(due, due, DUE_YEARLY)
