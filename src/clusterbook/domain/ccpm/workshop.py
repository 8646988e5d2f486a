"""The workshop's working groups: which functions each group takes, and who sits in which."""

from __future__ import annotations

from typing import Final

import pandas as pd

from clusterbook.domain.ccpm.respondents import organisation_type
from clusterbook.domain.values import clean_text
from clusterbook.forms.ccpm_bank import ORGANISATION_TYPES

#: Participants from which every function gets its own group (but 6 and 7 share).
LARGE_WORKSHOP: Final = 30
GROUP_SIZE: Final = (5, 6)

def group_plan(participants: int) -> tuple[tuple[str, ...], ...]:
    """The functions each working group takes, for a number of participants.

    At most six groups, one function each: with 30 or more participants functions 6 and 7
    share a group; with fewer, functions 4 and 5 and functions 6 and 7 share.
    """
    if participants >= LARGE_WORKSHOP:
        return (("1",), ("2",), ("3",), ("4",), ("5",), ("6", "7"))
    return (("1",), ("2",), ("3",), ("4", "5"), ("6", "7"))


def workshop_groups(participants: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Split the participants into working groups, and notes on the groups' sizes.

    ``participants`` has name, organisation and organisation_type. They are dealt in turn into
    the groups after sorting by organisation type and organisation, so each group mixes
    types and organisations. Returns one row per participant (group, functions, name,
    organisation, organisation_type) and notes when groups fall outside 5 to 6 people.
    """
    people = participants.copy()
    for column in ("name", "organisation", "organisation_type"):
        if column not in people:
            people[column] = ""
        people[column] = people[column].map(clean_text)
    people = people[people["name"] != ""]
    kinds = {kind: index for index, kind in enumerate(ORGANISATION_TYPES)}
    people["_type"] = people["organisation_type"].map(
        lambda value: kinds.get(organisation_type(value) or "", len(kinds)))
    people = people.sort_values(["_type", "organisation", "name"], kind="stable")
    plan = group_plan(len(people))
    people["group"] = [index % len(plan) + 1 for index in range(len(people))]
    people["functions"] = people["group"].map(lambda g: " and ".join(plan[g - 1]))
    people = people.sort_values(["group", "_type", "organisation", "name"], kind="stable")
    notes: list[str] = []
    smallest, largest = GROUP_SIZE
    if len(people) < smallest * len(plan):
        notes.append(f"With {len(people)} participants some groups have fewer than "
                     f"{smallest} people; consider inviting more partners.")
    if len(people) > largest * len(plan):
        notes.append(f"With {len(people)} participants groups have more than {largest} "
                     f"people; at most {len(plan)} groups are formed.")
    columns = ["group", "functions", "name", "organisation", "organisation_type"]
    return people[columns].reset_index(drop=True), notes
