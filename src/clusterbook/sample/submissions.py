"""Filled microplans and action plans for the sample region, and the mistakes people make.

Every value is invented (see ``clusterbook.sample.region.NOTICE``) but shaped like a real
district's submission: team members named in Latin script and in Pashto, Dari and Urdu script,
Afghan and Pakistani phone numbers, activities within the campaign window, issues for the
clusters on the low-performing list. The same cluster always gets the same plan.

:func:`with_mistake` copies a plan and makes one realistic mistake of a given kind, and says
which rule should catch it and where.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Final

import pandas as pd

from clusterbook.domain.checks import CheckContext
from clusterbook.domain.clusterlist import (
    ClusterInfo,
    ClusterList,
    cluster_list_from_flags,
    code_key,
)
from clusterbook.domain.rule_registry import RuleId
from clusterbook.forms import ACTION_PLAN, MICROPLAN, FormData
from clusterbook.forms.microplan import SETTLEMENT_TYPES
from clusterbook.sample.region import ROUNDS, sample_region

#: The campaign the sample microplans are for: the region's last round.
CAMPAIGN_ROUND: Final = ROUNDS[-1]
CAMPAIGN_DAYS: Final = 5

_LATIN_NAMES: Final = (
    "Ahmad Shah Noori", "Fatima Rahimi", "Gul Mohammad Zazai", "Zarghona Safi", "Abdul Wali",
    "Nasrin Hotak", "Mohammad Karim", "Shabana Yousafzai", "Hamid Khan Afridi",
    "Palwasha Amiri", "Sayed Jalal", "Mariam Sadat", "Rahmatullah Stanikzai", "Bibi Hawa",
    "Noor Agha", "Farzana Kakar", "Imran Achakzai", "Samina Baloch",
)
#: Names as typed in Pashto, Dari and Urdu script.
_NATIVE_NAMES: Final = (
    "احمد شاه نوری", "ګل محمد زازی", "زرغونه صافی", "فریده احمدی", "عبدالولی", "نسرین هوتک",
    "عائشہ بی بی", "محمد کریم", "شبانہ یوسفزئی", "رحمت الله ستانکزی",
)
_LANGUAGES: Final = ("Pashto", "Dari", "Pashto, Dari", "Urdu, Pashto", "Dari, Uzbek",
                     "Pashto, Urdu, English", "Balochi, Pashto")
_INFLUENCERS: Final = ("Imam of the main mosque", "Village elder (malik)", "Female health worker",
                       "School teacher", "Shura members", "Community health worker",
                       "Tribal elder", "Madrasa teacher")
_RISKS: Final = ("Refusals in a few households", "Insecurity on the northern road",
                 "Nomadic families arrive during the campaign", "Distrust of vaccinators",
                 "Children away at the market on campaign days", "Access blocked after rain",
                 "", "")
_CHALLENGES: Final = (
    ("Refusals over vaccine safety rumours", "Home visits by the imam with the DCO",
     "refusal"),
    ("Missed children in compounds not visited", "Revisit plan with team enablers", "missed"),
    ("Female vaccinators not accepted in some areas", "Pair female and male vaccinators",
     "gender"),
    ("Nomadic families not on the microplan", "Map settlements with the elders before day 1",
     "nomads"),
    ("Children absent at school on day 1", "School session with teachers", "absent"),
    ("Team fatigue on long routes", "Split the route between two teams", "teams"),
)
_ACTIVITIES: Final = (
    ("Meeting with religious leaders", "Imams and elders", "Vaccines are safe and halal"),
    ("Mosque announcement", "Whole community", "Vaccination days and sites"),
    ("Household visits to refusal families", "Refusing parents", "Polio can paralyse for life"),
    ("Session with mothers at the health post", "Mothers of under-fives",
     "Every child, every round"),
    ("School awareness session", "Pupils and teachers", "Tell your family about the campaign"),
    ("Community shura", "Shura members", "Support for the teams"),
)
_MATERIALS: Final = ("Leaflets", "Banners", "Megaphone", "Posters", "Fact sheets", "")
_LOCATIONS: Final = ("Main mosque", "Health post", "Village school", "Elder's guest house",
                     "Market square")


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@lru_cache(maxsize=1)
def sample_cluster_list() -> ClusterList:
    """The sample region's clusters, with the low-performing list of its last round."""
    from clusterbook.domain.rules import classify_clusters

    return cluster_list_from_flags(classify_clusters(sample_region().rounds),
                                   source="the sample region")


@lru_cache(maxsize=1)
def _campaign() -> tuple[str, dt.date, dt.date]:
    rounds = sample_region().rounds
    start = dt.date.fromisoformat(str(rounds.loc[rounds["round"] == CAMPAIGN_ROUND,
                                                 "round_date"].iloc[0]))
    name = f"{CAMPAIGN_ROUND} ({start:%B %Y} campaign)"
    return name, start, start + dt.timedelta(days=CAMPAIGN_DAYS - 1)


@lru_cache(maxsize=1)
def _last_missed() -> dict[str, int]:
    rounds = sample_region().rounds
    before = rounds[rounds["round"] == ROUNDS[-2]]
    missed = before.set_index("cluster_code")["missed_children"]
    return {str(code): 0 if pd.isna(value) else int(value) for code, value in missed.items()}


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.7:
        prefix = rng.choice(("70", "72", "77", "78", "79"))
        number = f"{rng.randrange(1_000_000, 9_999_999):07d}"
        return rng.choice((f"+93 {prefix} {number[:3]} {number[3:]}",
                           f"0{prefix}{number[:1]} {number[1:4]} {number[4:]}",
                           f"0093-{prefix}-{number}"))
    prefix = rng.choice(("300", "301", "312", "333", "345"))
    number = f"{rng.randrange(1_000_000, 9_999_999):07d}"
    return rng.choice((f"+92 {prefix} {number}", f"0{prefix}-{number}"))


def _team(rng: random.Random, teams: int) -> list[dict[str, object]]:
    size = rng.randint(5, 9)
    latin = rng.sample(_LATIN_NAMES, size)
    native = rng.sample(_NATIVE_NAMES, size)
    roles = ["DCO", "CS", "SM", *rng.choices(
        ("Volunteer vaccinator", "Cluster enabler", "Team enabler", "SM", "CIP"), k=size - 3)]
    members = []
    for index in range(size):
        name = native[index] if rng.random() < 0.35 else latin[index]
        members.append({
            "name": name,
            "role": roles[index],
            "contact": _phone(rng),
            "languages": rng.choice(_LANGUAGES),
            "assigned_team": f"Team {index % max(teams, 1) + 1}" if index >= 2 else "All teams",
        })
    return members


def _timing(day: dt.date, start: dt.date, end: dt.date) -> str:
    if day < start:
        return "Before the campaign"
    return "After the campaign" if day > end else "During the campaign"


def microplan_data(cluster_code: str) -> FormData:
    """The filled microplan of a sample-region cluster (always the same for a code)."""
    clusters = sample_region().clusters
    rows = clusters[clusters["cluster_code"] == cluster_code]
    if rows.empty:
        raise KeyError(f"the sample region has no cluster {cluster_code!r}")
    cluster = rows.iloc[0]
    rng = _rng("microplan", cluster_code)
    campaign, start, end = _campaign()
    target = int(cluster["target_population"])
    teams = max(1, round(target / 260))
    missed = min(_last_missed().get(cluster_code, 0), target)
    info = sample_cluster_list().get(cluster_code)
    listed = bool(info and info.low_performing)
    team = _team(rng, teams)
    names = [str(member["name"]) for member in team]
    by_role = {str(member["role"]): str(member["name"]) for member in reversed(team)}

    identification = {
        "province": str(cluster["province"]), "district": str(cluster["district"]),
        "cluster_name": str(cluster["cluster_name"]), "cluster_code": cluster_code,
        "target_population": target, "households": int(cluster["households"]),
        "missed_children": missed, "sites": rng.randint(1, 4), "teams": teams,
        "campaign": campaign, "campaign_start": start, "campaign_end": end,
    }
    mapping = [{"settlement_type": kind, "number": rng.randint(1, 12),
                "key_influencers": rng.choice(_INFLUENCERS), "risk_factors": rng.choice(_RISKS)}
               for kind in rng.sample(SETTLEMENT_TYPES[:7], rng.randint(2, 4))]
    issue_count = rng.randint(2, 3) if listed else (rng.randint(1, 2) if missed else 0)
    issues = [{"challenge": challenge, "mitigation": mitigation,
               "responsible": rng.choice(names[:4]),
               "timeline": start - dt.timedelta(days=rng.randint(3, 14))}
              for challenge, mitigation, _ in rng.sample(_CHALLENGES, issue_count)]
    activities = []
    for activity, audience, message in rng.sample(_ACTIVITIES, rng.randint(3, 5)):
        day = start + dt.timedelta(days=rng.randint(-25, CAMPAIGN_DAYS - 1))
        activities.append({
            "activity": activity, "date": day, "location": rng.choice(_LOCATIONS),
            "target_audience": audience, "key_message": message,
            "responsible": rng.choice(names), "timing": _timing(day, start, end),
            "materials": rng.choice(_MATERIALS)})
    activities.sort(key=lambda entry: entry["date"])  # type: ignore[arg-type,return-value]
    supervision = []
    for offset in sorted(rng.sample(range(CAMPAIGN_DAYS), rng.randint(2, 3))):
        day = start + dt.timedelta(days=offset)
        supervision.append({"supervisor": by_role.get("CS", names[0]),
                            "areas": f"Team {rng.randint(1, teams)} route, "
                                     f"{rng.choice(_LOCATIONS).lower()} area",
                            "date": day, "timing": _timing(day, start, end)})
    review_day = end + dt.timedelta(days=rng.randint(2, 6))
    review = [{"participant": name, "title": role, "date": review_day,
               "location": "District health office", "responsible": by_role.get("DCO", names[0]),
               "outcome": outcome}
              for (name, role), outcome in zip(
                  [(by_role.get("DCO", names[0]), "DCO"), (by_role.get("CS", names[1]), "CS"),
                   (names[-1], "SM")],
                  ("Missed children list shared with the teams", "Revisit plan agreed",
                   "IBRA planned in the refusal areas"), strict=True)]
    sign_day = review_day + dt.timedelta(days=1)
    sign_off = {"dco_name": by_role.get("DCO", names[0]), "dco_date": sign_day,
                "dc_name": rng.choice(("Dr. Wahidullah Sherzad", "Dr. Laila Haidari",
                                       "ډاکټر نجیب الله")),
                "dc_date": sign_day, "cs_name": by_role.get("CS", names[1]),
                "cs_date": sign_day, "status": "Final"}
    return FormData(MICROPLAN,
                    records={"identification": identification, "sign_off": sign_off},
                    tables={"team": team, "mapping": mapping, "issues": issues,
                            "activities": activities, "supervision": supervision,
                            "review": review})


def action_plan_data(district: str) -> FormData:
    """The filled low-performing cluster action plan of a sample-region district."""
    clusters = sample_region().clusters
    rows = clusters[clusters["district"] == district]
    if rows.empty:
        raise KeyError(f"the sample region has no district {district!r}")
    listed = [info for info in sample_cluster_list().low_performing_in(district)]
    rng = _rng("action plan", district)
    _, start, end = _campaign()
    actions = []
    for info in listed:
        for strategy in ("Pull", "Push"):
            challenge, action, _ = rng.choice(_CHALLENGES)
            actions.append({
                "cluster_code": info.code, "strategy": strategy, "bottleneck": challenge,
                "corrective_action": action,
                "responsible": rng.choice(_LATIN_NAMES + _NATIVE_NAMES),
                "deadline": start - dt.timedelta(days=rng.randint(1, 20)),
                "supervisor": rng.choice(("DCO", "PCO", "District coordinator")),
                "status": rng.choice(("Done", "In progress", "Done")),
                "follow_up": rng.choice(("", "Checked at the review meeting",
                                         "Elders agreed to help"))})
    details = {"province": str(rows.iloc[0]["province"]), "district": district,
               "prepared_by": rng.choice(_LATIN_NAMES),
               "prepared_on": start - dt.timedelta(days=21)}
    del end
    return FormData(ACTION_PLAN, records={"details": details}, tables={"actions": actions})


# --- mistakes -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mistake:
    """A mistake made in a plan: the rule that must catch it and where (a record field, or a
    table field and the 0-based entry row of the table)."""

    kind: str
    rule: RuleId
    section: str
    field: str
    row: int | None = None


#: The kinds of mistake :func:`with_mistake` makes, each with the rule that catches it.
MISTAKES: Final[dict[str, RuleId]] = {
    "count-as-text": RuleId.COUNT,
    "negative-count": RuleId.COUNT,
    "fraction-count": RuleId.COUNT,
    "no-teams": RuleId.COUNT_MINIMUM,
    "missed-above-target": RuleId.MISSED_ABOVE_TARGET,
    "bad-phone": RuleId.PHONE,
    "unknown-role": RuleId.CHOICE,
    "missing-name": RuleId.REQUIRED,
    "only-spaces": RuleId.ONLY_SPACES,
    "campaign-dates-swapped": RuleId.CAMPAIGN_DATES,
    "activity-too-early": RuleId.DATE_WINDOW,
    "review-before-end": RuleId.REVIEW_DATE,
    "mistyped-year": RuleId.DATE_IMPLAUSIBLE,
    "not-a-date": RuleId.DATE,
    "unknown-cluster": RuleId.CLUSTER_UNKNOWN,
    "other-district": RuleId.CLUSTER_DISTRICT,
    "no-team": RuleId.TEAM_EMPTY,
    "no-issues": RuleId.ISSUES_MISSING,
    "responsible-outsider": RuleId.RESPONSIBLE_NOT_IN_TEAM,
    "duplicate-activity": RuleId.DUPLICATE_ROW,
    "unsigned": RuleId.SIGN_OFF_INCOMPLETE,
    "household-ratio": RuleId.POPULATION_PER_HOUSEHOLD,
}


def with_mistake(data: FormData, kind: str, *, seed: int = 0) -> tuple[FormData, Mistake]:
    """A copy of a filled microplan with one realistic mistake of ``kind`` (see MISTAKES)."""
    if kind not in MISTAKES:
        raise KeyError(f"unknown mistake {kind!r}; one of {', '.join(MISTAKES)}")
    data = copy.deepcopy(data)
    rng = _rng("mistake", kind, seed, data.records.get("identification", {}).get("cluster_code"))
    ident, tables = data.records["identification"], data.tables
    rule = MISTAKES[kind]

    def made(section: str, key: str, row: int | None = None) -> tuple[FormData, Mistake]:
        return data, Mistake(kind, rule, section, key, row)

    def pick(table: str) -> int:
        return rng.randrange(len(tables[table]))

    start, end = ident["campaign_start"], ident["campaign_end"]
    assert isinstance(start, dt.date) and isinstance(end, dt.date)
    if kind == "count-as-text":
        ident["households"] = f"about {ident['households']}"
        return made("identification", "households")
    if kind == "negative-count":
        ident["sites"] = -int(ident["sites"])  # type: ignore[call-overload]
        return made("identification", "sites")
    if kind == "fraction-count":
        ident["teams"] = int(ident["teams"]) + 0.5  # type: ignore[call-overload]
        return made("identification", "teams")
    if kind == "no-teams":
        ident["teams"] = 0
        return made("identification", "teams")
    if kind == "missed-above-target":
        ident["missed_children"] = int(ident["target_population"]) + rng.randint(  # type: ignore[call-overload]
            10, 400)
        return made("identification", "missed_children")
    if kind == "bad-phone":
        row = pick("team")
        tables["team"][row]["contact"] = rng.choice(("070 12", "ask DCO", "+93 70 12ab 567"))
        return made("team", "contact", row)
    if kind == "unknown-role":
        row = pick("team")
        tables["team"][row]["role"] = rng.choice(("Supervisor", "Mobiliser", "Vaccinator"))
        return made("team", "role", row)
    if kind == "missing-name":
        row = pick("team")
        tables["team"][row]["name"] = None
        return made("team", "name", row)
    if kind == "only-spaces":
        ident["cluster_name"] = "   "
        return made("identification", "cluster_name")
    if kind == "campaign-dates-swapped":
        ident["campaign_start"], ident["campaign_end"] = end, start
        if start == end:
            ident["campaign_end"] = start - dt.timedelta(days=1)
        return made("identification", "campaign_end")
    if kind == "activity-too-early":
        row = pick("activities")
        tables["activities"][row]["date"] = start - dt.timedelta(days=rng.randint(45, 90))
        tables["activities"][row]["timing"] = "Before the campaign"
        return made("activities", "date", row)
    if kind == "review-before-end":
        row = pick("review")
        tables["review"][row]["date"] = start
        return made("review", "date", row)
    if kind == "mistyped-year":
        row = pick("activities")
        day = tables["activities"][row]["date"]
        assert isinstance(day, dt.date)
        tables["activities"][row]["date"] = day.replace(year=day.year + 27)
        return made("activities", "date", row)
    if kind == "not-a-date":
        row = pick("supervision")
        tables["supervision"][row]["date"] = rng.choice(("next week", "day 2", "32/13/2025"))
        return made("supervision", "date", row)
    if kind == "unknown-cluster":
        ident["cluster_code"] = "ZZZ-" + str(ident["cluster_code"]).split("-")[-1]
        return made("identification", "cluster_code")
    if kind == "other-district":
        ident["district"] = "Nahrin" if ident["district"] != "Nahrin" else "Kotal"
        return made("identification", "district")
    if kind == "no-team":
        tables["team"] = []
        return made("team", "name", 0)
    if kind == "no-issues":
        tables["issues"] = []
        return made("issues", "challenge", 0)
    if kind == "responsible-outsider":
        row = pick("activities")
        tables["activities"][row]["responsible"] = "Dr. Someone Else"
        return made("activities", "responsible", row)
    if kind == "duplicate-activity":
        row = pick("activities")
        tables["activities"].insert(row + 1, dict(tables["activities"][row]))
        return made("activities", "activity", row + 1)
    if kind == "unsigned":
        data.records["sign_off"]["dc_date"] = None
        return made("sign_off", "dc_date")
    # household-ratio
    ident["households"] = int(ident["target_population"]) * 10  # type: ignore[call-overload]
    return made("identification", "target_population")


def low_performing_codes() -> list[str]:
    """The codes of the sample region's low-performing clusters."""
    return [info.code for info in sample_cluster_list().clusters.values()
            if info.low_performing]


@dataclass(frozen=True)
class SampleFile:
    """A sample submission to write: which form, for which cluster (or district, for an action
    plan), its mistake (a kind of :data:`MISTAKES`), and for a newer version how many days
    after the first one it was signed or prepared."""

    name: str  # the path within the folder
    form_id: str
    key: str
    mistake: str = ""
    seed: int = 0
    days_later: int = 0
    #: For a national set: which copy of the sample region the cluster belongs to (0: itself).
    region: int = 0


def national_cluster(info: ClusterInfo, region: int) -> ClusterInfo:
    """A sample-region cluster as the cluster of the ``region``-th copy of the region (0: as it
    is): its province, district and code carry the copy's number."""
    if region == 0:
        return info
    number = region + 1
    prefix, _, serial = info.code.partition("-")
    return ClusterInfo(f"{prefix}{number}-{serial}", f"{info.province} {number}",
                       f"{info.district} {number}", info.name, info.low_performing)


def national_cluster_list(regions: int) -> ClusterList:
    """The clusters of ``regions`` copies of the sample region, as one national list."""
    clusters = [national_cluster(info, region) for region in range(regions)
                for info in sample_cluster_list().clusters.values()]
    return ClusterList({code_key(info.code): info for info in clusters},
                       source=f"{regions} copies of the sample region")


def sample_file_data(item: SampleFile) -> FormData:
    """The filled form of a sample file."""
    if item.region:
        found = sample_cluster_list().get(item.key)
        assert found is not None, item.key
        info = national_cluster(found, item.region)
        data = sample_file_data(SampleFile(item.name, item.form_id, item.key))
        data.records["identification"].update(
            province=info.province, district=info.district, cluster_code=info.code)
        if item.mistake:
            data, _ = with_mistake(data, item.mistake, seed=item.seed)
        return data
    if item.form_id == ACTION_PLAN.form_id:
        data = action_plan_data(item.key)
        if item.days_later:
            details = data.records["details"]
            details["prepared_on"] += dt.timedelta(days=item.days_later)  # type: ignore[operator]
            for action in data.tables["actions"]:
                action["status"] = "Done"
                action["follow_up"] = "Checked again before the campaign"
        return data
    data = microplan_data(item.key)
    if item.mistake:
        data, _ = with_mistake(data, item.mistake, seed=item.seed)
    if item.days_later:
        sign_off = data.records["sign_off"]
        for key in ("dco_date", "dc_date", "cs_date"):
            if isinstance(sign_off.get(key), dt.date):
                sign_off[key] += dt.timedelta(days=item.days_later)  # type: ignore[operator]
    return data


def _write_sample_chunk(folder: Path, items: list[SampleFile]) -> int:
    from clusterbook.forms import FORMS
    from clusterbook.templates import write_form

    for item in items:
        write_form(folder / item.name, FORMS[item.form_id], sample_file_data(item))
    return len(items)


def write_sample_files(folder: Path | str, items: list[SampleFile], *,
                       workers: int | None = None) -> None:
    """Write sample files with the template builder, on several cores when there are many."""
    from clusterbook.workers import chunked, run_chunks, worker_count

    folder = Path(folder)
    for parent in {(folder / item.name).parent for item in items}:
        parent.mkdir(parents=True, exist_ok=True)
    sample_cluster_list()  # computed once here, not again in every worker
    count = worker_count(len(items), minimum_items=100, requested=workers)
    run_chunks(partial(_write_sample_chunk, folder), chunked(items, max(count, 1) * 4),
               workers=count)


def _spread(count: int, share: float) -> list[bool]:
    """Which of ``count`` items get a mistake: about ``share`` of them, evenly spread."""
    return [int((index + 1) * share) > int(index * share) for index in range(count)]


def write_sample_submissions(folder: Path | str, *, district: str | None = None,
                             mistake_share: float = 0.05,
                             broken_file: bool = True) -> CheckContext:
    """Write the filled microplans of the sample region's clusters (of one district, or all
    928), about ``mistake_share`` of them with one realistic mistake each, each district's
    action plan, and (``broken_file``) one file cut off while copying, all with the template
    builder. Returns the check context that knows the sample region's cluster list."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    clusters = [info for info in sample_cluster_list().clusters.values()
                if district is None or info.district == district]
    kinds = sorted(MISTAKES)
    items, made = [], 0
    for index, (info, wrong) in enumerate(zip(clusters, _spread(len(clusters), mistake_share),
                                              strict=True)):
        items.append(SampleFile(f"{info.district}_{info.code}.xlsx", MICROPLAN.form_id,
                                info.code, kinds[made % len(kinds)] if wrong else "", index))
        made += wrong
    items.extend(SampleFile(f"{name}_action_plan.xlsx", ACTION_PLAN.form_id, name)
                 for name in dict.fromkeys(info.district for info in clusters))
    write_sample_files(folder, items)
    if broken_file and clusters:
        last = clusters[-1]
        (folder / f"{last.district}_copy_cut_off.xlsx").write_bytes(
            (folder / f"{last.district}_{last.code}.xlsx").read_bytes()[:4000])
    return sample_check_context()


def sample_check_context() -> CheckContext:
    """The check context of the sample submissions: the sample region's cluster list, and a
    day ten days before the campaign as today."""
    _, start, _ = _campaign()
    return CheckContext(clusters=sample_cluster_list(), today=start - dt.timedelta(days=10))


@dataclass(frozen=True)
class RegionSubmissions:
    """What :func:`write_region_submissions` wrote."""

    folder: Path
    microplans: int
    with_mistakes: int
    action_plans: int
    plans_missing: list[str]  # districts with listed clusters that sent no action plan
    newer_versions: int
    copies: int
    other_files: int  # a cut-off file, a lock file and a scan that is not a workbook


def write_region_submissions(folder: Path | str, *, mistake_share: float = 0.05,
                             workers: int | None = None) -> RegionSubmissions:
    """Write what a region receives for one campaign, one folder per province: a filled
    microplan for every cluster (about ``mistake_share`` of them with one realistic mistake),
    the action plans of the districts with low-performing clusters (a few districts have not
    sent theirs), newer versions of a few microplans (mistake corrected, signed later) and of
    one action plan, a few identical copies ('Copy of ...', '... (1)'), a file cut off while
    copying, a lock file Excel left behind, and a scanned sign-off that is not a workbook."""
    folder = Path(folder)
    clusters = list(sample_cluster_list().clusters.values())
    kinds = sorted(MISTAKES)
    first: list[SampleFile] = []
    wrong_items: list[SampleFile] = []
    made = 0
    for index, (info, wrong) in enumerate(zip(clusters, _spread(len(clusters), mistake_share),
                                              strict=True)):
        item = SampleFile(f"{info.province}/{info.district}_{info.code}.xlsx",
                          MICROPLAN.form_id, info.code, kinds[made % len(kinds)] if wrong else "",
                          index)
        first.append(item)
        if wrong:
            wrong_items.append(item)
        made += wrong
    districts = {info.district: info.province for info in clusters}
    listed = [name for name in districts
              if sample_cluster_list().low_performing_in(name)]
    missing = listed[5::8]
    plans = [SampleFile(f"{districts[name]}/{name}_action_plan.xlsx", ACTION_PLAN.form_id, name)
             for name in listed if name not in missing]
    newer = [SampleFile(item.name.replace(".xlsx", "_v2.xlsx"), item.form_id, item.key,
                        days_later=3) for item in wrong_items[::5]]
    if plans:
        newer.append(SampleFile(plans[0].name.replace(".xlsx", "_updated.xlsx"),
                                ACTION_PLAN.form_id, plans[0].key, days_later=7))
    write_sample_files(folder, first + plans, workers=workers)
    write_sample_files(folder, newer, workers=workers)  # later, as resent files are
    copies = [(first[3], "Copy of {name}"), (first[300], "Copy of {name}"),
              (first[610], "{stem} (1){suffix}"), (first[905], "{stem} (1){suffix}")]
    for item, pattern in copies:
        source = folder / item.name
        target = source.with_name(pattern.format(name=source.name, stem=source.stem,
                                                 suffix=source.suffix))
        target.write_bytes(source.read_bytes())
    last = folder / first[-1].name
    (last.parent / f"{first[-1].key}_cut_off.xlsx").write_bytes(last.read_bytes()[:4000])
    opened = folder / first[40].name
    (opened.parent / f"~${opened.name}").write_bytes(b"\x0bDCO Laptop" + b" " * 40)
    (folder / first[100].name).with_name("Sign-off scan.pdf").write_bytes(
        b"%PDF-1.4\n% a scanned sign-off page\n%%EOF\n")
    return RegionSubmissions(folder, len(first), len(wrong_items), len(plans), missing,
                             len(newer), len(copies), 3)


def write_national_submissions(folder: Path | str, count: int = 10_000, *,
                               mistake_share: float = 0.05,
                               workers: int | None = None) -> ClusterList:
    """Write ``count`` filled microplans shaped like the sample region's, for as many copies
    of the region as they need (one folder per copy and province; about ``mistake_share`` of
    them with one realistic mistake). Returns the national cluster list they belong to."""
    folder = Path(folder)
    base = list(sample_cluster_list().clusters.values())
    regions = -(-count // len(base))
    kinds = sorted(MISTAKES)
    items, made = [], 0
    for index, wrong in enumerate(_spread(count, mistake_share)):
        region, info = divmod(index, len(base))[0], base[index % len(base)]
        named = national_cluster(info, region)
        items.append(SampleFile(f"Region {region + 1}/{named.province}/{named.district}_"
                                f"{named.code}.xlsx", MICROPLAN.form_id, info.code,
                                kinds[made % len(kinds)] if wrong else "", index, region=region))
        made += wrong
    write_sample_files(folder, items, workers=workers)
    return national_cluster_list(regions)
