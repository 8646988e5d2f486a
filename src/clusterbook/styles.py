"""Colours and words shared by every book, the launcher and the docs, so they always agree."""

from __future__ import annotations

from typing import Final, NamedTuple

from clusterbook.forms.ccpm_bank import CcpmStatus


class Colour(NamedTuple):
    """A fill and the text colour that reads well on it (hex RGB, no '#')."""

    fill: str
    text: str


#: Low-performing cluster statuses, as Excel's familiar good/neutral/bad styles.
STATUS_COLOURS: Final = {
    "Low performing": Colour("FFC7CE", "9C0006"),
    "Watch": Colour("FFEB9C", "9C5700"),
    "On track": Colour("C6EFCE", "006100"),
    "No data": Colour("EDEDED", "595959"),
}

#: CCPM performance bands (green, yellow, orange, red, grey).
BAND_COLOURS: Final = {
    CcpmStatus.GOOD: Colour("63BE7B", "FFFFFF"),
    CcpmStatus.SATISFACTORY: Colour("FFEB84", "000000"),
    CcpmStatus.UNSATISFACTORY: Colour("F4B183", "000000"),
    CcpmStatus.WEAK: Colour("F8696B", "FFFFFF"),
    CcpmStatus.NOT_ASSESSED: Colour("D9D9D9", "404040"),
}

HEADER: Final = Colour("1F4E78", "FFFFFF")
INPUT_CELL: Final = Colour("FFF9E5", "000000")
TITLE_SIZE: Final = 14

#: Validation findings: errors as Excel's 'bad' style, warnings as its 'neutral' style.
FINDING_COLOURS: Final = {
    "error": Colour("FFC7CE", "9C0006"),
    "warning": Colour("FFEB9C", "9C5700"),
}
