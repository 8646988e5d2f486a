"""Answer scales: each answer's code 0..4, the answers that carry no score, and how an
answer is read whatever its spelling."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Final

from clusterbook.domain.values import clean_text, is_blank, is_only_spaces
from clusterbook.forms.ccpm_bank import (
    DEFAULT_SCALES,
    DONT_KNOW,
    NO_SCORE_LABELS,
    NOT_APPLICABLE,
    ScaleName,
)

HIGHEST_CODE: Final = 4

_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES: Final = re.compile(r"\s+")
_NO_SCORE_ALIASES: Final = {
    "don't know": DONT_KNOW, "dont know": DONT_KNOW, "do not know": DONT_KNOW,
    "i don't know": DONT_KNOW, "dk": DONT_KNOW, "unknown": DONT_KNOW,
    "not applicable": NOT_APPLICABLE, "n/a": NOT_APPLICABLE, "na": NOT_APPLICABLE,
    "n.a.": NOT_APPLICABLE, "not relevant": NOT_APPLICABLE,
}


def normalise_label(value: object) -> str:
    """An answer as compared: trimmed, single-spaced, case-folded, straight apostrophes.

    'Fairly  Often ' and 'fairly often' are the same answer; so are 'Don’t know' and
    "don't know".
    """
    text = clean_text(value).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class Scale:
    """An answer scale: each label with its code 0..4, and the labels that carry no score.

    ``free_text`` scales (comments) accept any text and never score.
    """

    name: str
    codes: tuple[tuple[str, int], ...]
    no_score: tuple[str, ...] = NO_SCORE_LABELS
    free_text: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """Every answer of the scale, scored ones first (worst to best as given)."""
        return tuple(label for label, _ in self.codes) + self.no_score

    @cached_property
    def _lookup(self) -> dict[str, tuple[int | None, str]]:
        """Every known answer, as compared, with its code and the scale's own label."""
        lookup: dict[str, tuple[int | None, str]] = {
            key: (None, label) for key, label in _NO_SCORE_ALIASES.items()}
        for label in self.no_score:
            lookup[normalise_label(label)] = (None, label)
        for label, code in reversed(self.codes):
            lookup[normalise_label(label)] = (code, label)
        return lookup

    def describe(self) -> str:
        """'Yes, No, Don't know, Not applicable'."""
        return ", ".join(self.labels)

    def read(self, answer: object) -> tuple[int | None, str]:
        """The code and the scale's own label of an answer; code None when it carries no score.

        Blank answers give (None, ''). A number that is one of the scale's codes is read as
        that code (survey tools may export codes instead of labels). Raises ValueError with a
        sentence for anything else.
        """
        if is_blank(answer) or is_only_spaces(answer):
            return None, ""
        if self.free_text:
            return None, clean_text(answer)
        known = self._lookup.get(normalise_label(answer))
        if known is not None:
            return known
        number = as_code(answer)
        if number is not None:
            for label, value in self.codes:
                if value == number:
                    return number, label
        raise ValueError(f"'{clean_text(answer)}' is not an answer on the {self.name} scale "
                         f"({self.describe()})")


def as_code(answer: object) -> int | None:
    """A number that is a code 0..4 (3, 3.0, '3'), else None."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        number = float(answer)
    else:
        try:
            number = float(clean_text(answer))
        except ValueError:
            return None
    if math.isnan(number) or not number.is_integer() or not 0 <= number <= HIGHEST_CODE:
        return None
    return int(number)


def default_scales() -> dict[str, Scale]:
    """The default scales by name: Yes/No, Frequency, Agreement, and Comment (free text)."""
    scales = {name: Scale(name, codes) for name, codes in DEFAULT_SCALES.items()}
    scales[ScaleName.COMMENT] = Scale(ScaleName.COMMENT, (), (), free_text=True)
    return scales


ANY_DEFAULT: Final = Scale("Default answers", tuple(
    (label, code) for codes in DEFAULT_SCALES.values() for label, code in codes))


def scale_named(scale: Scale | str | None) -> Scale:
    """A scale, or the default scale of that name; None: any default answer."""
    if scale is None:
        return ANY_DEFAULT
    if isinstance(scale, Scale):
        return scale
    scales = default_scales()
    for name, candidate in scales.items():
        if normalise_label(name) == normalise_label(scale):
            return candidate
    raise ValueError(f"'{scale}' is not a scale ({', '.join(scales)})")


def answer_code(label: object, scale: Scale | str | None = None) -> int | None:
    """The code 0..4 of an answer, or None when it carries no score.

    None for "Don't know", "Not applicable" and blanks (they are left out, never zero). With no
    ``scale``, every default label is known (Yes 4, No 0; Never 0 .. Very regularly 4; Strongly
    disagree 0 .. Strongly agree 4), and so are the codes 0..4 themselves. ``scale`` is a
    :class:`Scale` or the name of a default scale ('Yes/No', 'Frequency', 'Agreement').
    Raises ValueError naming the scale's answers for a label it does not know.
    """
    code, _ = scale_named(scale).read(label)
    return code
