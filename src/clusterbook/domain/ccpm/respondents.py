"""Who answered: organisation types and roles as respondents write them, and the response
rates per organisation type against the cluster description's partners."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Final

import pandas as pd

from clusterbook.domain.ccpm.scales import normalise_label
from clusterbook.domain.findings import Finding, Severity
from clusterbook.forms.ccpm_bank import ORGANISATION_TYPES, Role

#: Statuses not counted as an organisation type ('Not stated' has no denominator).
NOT_STATED: Final = "Not stated"

_ORGANISATION_ALIASES: Final = {
    "un agency": "UN agency", "un": "UN agency", "un agencies": "UN agency",
    "united nations": "UN agency", "united nations agency": "UN agency",
    "un organisation": "UN agency", "un organization": "UN agency",
    "ingo": "INGO", "international ngo": "INGO", "international non-governmental organisation":
    "INGO", "international non-governmental organization": "INGO", "international": "INGO",
    "nngo": "NNGO", "national ngo": "NNGO", "local ngo": "NNGO", "lngo": "NNGO",
    "national or local ngo": "NNGO", "local": "NNGO", "national/local ngo": "NNGO",
    "national non-governmental organisation": "NNGO",
    "national non-governmental organization": "NNGO", "cbo": "NNGO",
    "national authority": "National authority", "national authorities": "National authority",
    "government": "National authority", "gov": "National authority",
    "ministry": "National authority", "authority": "National authority",
    "authorities": "National authority", "government authority": "National authority",
    "donor": "Donor", "donors": "Donor", "other": "Other", "others": "Other",
}


def organisation_type(value: object) -> str | None:
    """The organisation type an answer means ('International NGO' -> 'INGO'); '' for a blank,
    None for text that is none of the types."""
    key = normalise_label(value)
    if not key:
        return ""
    for known in ORGANISATION_TYPES:
        if key == known.casefold():
            return known
    return _ORGANISATION_ALIASES.get(key)


def role_of(value: object) -> str | None:
    """The role a respondent gives: Coordinator, Partner, '' for a blank, None for
    anything else."""
    text = normalise_label(value)
    if not text:
        return ""
    if "coordinat" in text or text in ("cc", "coord", "co-lead", "colead", "co lead"):
        return Role.COORDINATOR
    if text.startswith("partner") or text in ("member", "cluster partner"):
        return Role.PARTNER
    return None


def type_order(kinds: Iterable[str]) -> list[str]:
    """The organisation types in report order, with Not stated last when some are."""
    present = set(kinds)
    return [*ORGANISATION_TYPES, *([NOT_STATED] if NOT_STATED in present else [])]


def response_rates(respondents: pd.DataFrame, partners: Mapping[str, int] | None = None
                   ) -> tuple[pd.DataFrame, list[Finding]]:
    """Partner respondents and response rate per organisation type, with a total row.

    ``respondents`` has respondent_role and organisation_type per respondent; only partners
    count (the coordinator answers the coordinator questionnaire). ``rate`` is a percent, or
    NaN when the cluster description gives no partners of that type.
    """
    partners = dict(partners or {})
    findings: list[Finding] = []
    partner_rows = respondents[respondents["respondent_role"] == Role.PARTNER]
    counts = partner_rows["organisation_type"].value_counts()
    rows: list[dict[str, Any]] = []
    for kind in type_order(partner_rows["organisation_type"]):
        responded = int(counts.get(kind, 0))
        total = partners.get(kind)
        rate = 100.0 * responded / total if total else math.nan
        if total is not None and responded > total:
            findings.append(Finding(
                Severity.WARNING, "ccpm-response-rate",
                f"{responded} {kind} partners answered but the cluster description lists "
                f"{total}; check the partners per organisation type", value=str(total)))
        rows.append({"organisation_type": kind, "partners": total, "respondents": responded,
                     "rate": rate})
    known = [row for row in rows if row["partners"]]
    partners_total = sum(int(row["partners"]) for row in known)
    responded_total = len(partner_rows)
    # Respondents of a type the description gives no count for have no place in the
    # denominator: counting them would report more than 100 % of partners answering.
    uncounted = {row["organisation_type"]: row["respondents"] for row in rows
                 if not row["partners"] and row["respondents"]
                 and row["organisation_type"] != NOT_STATED}
    if partners_total and uncounted:
        kinds = ", ".join(f"{kind} ({count})" for kind, count in uncounted.items())
        findings.append(Finding(
            Severity.WARNING, "ccpm-response-rate",
            f"partners of types the cluster description gives no number for answered: "
            f"{kinds}; the response rate of all partners leaves them out, so add their "
            f"number to the cluster description", value=kinds))
    counted = responded_total - sum(uncounted.values())
    rows.append({"organisation_type": "All partners", "partners": partners_total or None,
                 "respondents": responded_total,
                 "rate": 100.0 * counted / partners_total if partners_total else math.nan})
    frame = pd.DataFrame(rows)
    frame["partners"] = frame["partners"].astype("Int64")
    frame["rate"] = frame["rate"].astype("float64")
    return frame, findings
