"""The demo: every job of ClusterBook run on the built-in sample region.

Each step adds files to the demo folder; `clusterbook demo` and the launcher run them all in
order. The sample region is synthetic (see ``clusterbook.sample.region``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterbook.excel.write import atomic_path


@dataclass(frozen=True)
class Artifact:
    """A file the demo wrote and what it is."""

    path: Path
    description: str


@dataclass
class DemoContext:
    """What the steps share: the folder, and results later steps build on."""

    out: Path
    results: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], list[Artifact]]


def _round_data(context: DemoContext) -> list[Artifact]:
    from clusterbook.sample.region import sample_region

    region = sample_region()
    rounds_path, clusters_path = context.out / "round_data.csv", context.out / "clusters.csv"
    for frame, path in ((region.rounds, rounds_path), (region.clusters, clusters_path)):
        with atomic_path(path) as temporary:
            frame.to_csv(temporary, index=False, encoding="utf-8-sig")
    context.results["round_data"] = rounds_path
    return [Artifact(rounds_path, "round data of the sample region (synthetic): 928 clusters "
                                  "x 12 rounds"),
            Artifact(clusters_path, "the sample region's cluster list")]


def _flags(context: DemoContext) -> list[Artifact]:
    from clusterbook.flags import run_flags
    from clusterbook.sample.region import NOTICE

    out = context.out / "flags.xlsx"
    result = run_flags(context.results["round_data"], out, notice=NOTICE)
    context.results["flags"] = result
    return [Artifact(out, "low-performing cluster flags, by round, with a district summary")]


def _worksheet_functions(context: DemoContext) -> list[Artifact]:
    from clusterbook.reports.functions_example import write_functions_example
    from clusterbook.sample.region import NOTICE, sample_region

    out = context.out / "worksheet_functions.xlsx"
    write_functions_example(out, sample_region().rounds, notice=NOTICE)
    return [Artifact(out, "what =CLUSTER_STATUS(), =CLUSTER_FLAGS(), =MICROPLAN_CHECK() and "
                          "=CCPM_SCORE() give in Excel (see docs/excel-addin.md)")]
def _validation(context: DemoContext) -> list[Artifact]:
    from clusterbook.sample.submissions import write_sample_submissions
    from clusterbook.validation import validate_paths, write_back, write_findings

    folder = context.out / "submissions"
    checks = write_sample_submissions(folder, district="Kotal", mistake_share=0.075)
    result = validate_paths([folder], checks)
    findings = context.out / "validation-findings.xlsx"
    write_findings(result, findings)
    copies = [line for line in write_back(result, only_with_findings=True)
              if line.startswith("Wrote ")]
    context.results["validation"] = result
    return [Artifact(folder, f"one district's filled microplans and action plan (synthetic), "
                             f"3 with a mistake and a damaged file; {len(copies)} checked "
                             f"copies (*.checked.xlsx) show the problems"),
            Artifact(findings, "every validation finding, with file, sheet and cell")]
def _ccpm(context: DemoContext) -> list[Artifact]:
    from clusterbook.ccpm import run_overview, run_report
    from clusterbook.forms import CCPM
    from clusterbook.sample.ccpm import NOTICE, sample_ccpm_data, sample_survey, sample_workshop
    from clusterbook.templates import write_form

    folder = context.out / "ccpm"
    workbook = write_form(folder / "nutrition-ccpm.xlsx", CCPM, sample_ccpm_data("Nutrition"))
    responses = folder / "nutrition-responses.csv"
    with atomic_path(responses) as temporary:
        sample_survey("Nutrition").answers.to_csv(temporary, index=False, encoding="utf-8-sig")
    report = folder / "nutrition-report.xlsx"
    run_report([workbook], report, notice=NOTICE)
    artifacts = [
        Artifact(workbook, "CCPM workbook of a sample Nutrition cluster (synthetic): "
                           "description, question bank, 42 responses, participants"),
        Artifact(responses, "the same survey as a long CSV (one row per answer)"),
        Artifact(report, "its preliminary report: scores and bands, questions, good practice "
                         "and constraints, workshop groups, Annex I, follow-up"),
    ]
    finals = []
    for cluster in ("Nutrition", "Health", "WASH"):
        final = folder / f"{cluster.lower()}-final-report.xlsx"
        run_report([write_form(folder / "workbooks" / f"{cluster.lower()}-ccpm.xlsx", CCPM,
                               sample_ccpm_data(cluster))], final, notice=NOTICE,
                   annex=sample_workshop(cluster))
        finals.append(final)
    artifacts.append(Artifact(finals[0], "after the workshop: Annex I filled, a status "
                                         "amended, four months of follow-up (and Health, WASH)"))
    overview = folder / "overview.xlsx"
    run_overview(finals, overview)
    artifacts.append(Artifact(overview, "inter-cluster overview of the three sample clusters"))
    return artifacts
def _databook(context: DemoContext) -> list[Artifact]:
    from clusterbook.databook import run_databook
    from clusterbook.sample.region import NOTICE

    out = context.out / "databook.xlsx"
    run_databook(context.results["round_data"], out, clusters=context.out / "clusters.csv",
                 notice=NOTICE)
    return [Artifact(out, "the live campaign data book: type PCA and refusals, flags follow "
                          "by native formulas (no add-in needed)")]


#: The demo's steps, in order: (what it does, the step).
STEPS: list[tuple[str, Step]] = [
    ("Writing the sample region's round data", _round_data),
    ("Flagging low-performing clusters", _flags),
    ("Filling the campaign data book", _databook),
    ("Showing the worksheet functions", _worksheet_functions),
    ("Checking filled microplans", _validation),
    ("Scoring a sample CCPM survey, its report, workshop and the inter-cluster overview",
     _ccpm),
]


def run_demo(out: Path | str, progress: Callable[[str], None] | None = None) -> list[Artifact]:
    """Run every demo step into ``out`` and return what was written."""
    context = DemoContext(Path(out))
    context.out.mkdir(parents=True, exist_ok=True)
    artifacts: list[Artifact] = []
    for title, step in STEPS:
        if progress:
            progress(title)
        artifacts.extend(step(context))
    return artifacts
