"""The demo: every job of ClusterBook run on the built-in sample region.

Each step adds files to the demo folder; `clusterbook demo` and the launcher run them all in
order. The sample region is synthetic (see ``clusterbook.sample.region``). The steps call the
other jobs by their public functions, as the command line does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterbook.excel.csv_table import write_csv
from clusterbook.jobs.progress import Progress, unheard


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


def write_sample_round_data(folder: Path) -> tuple[Path, Path]:
    """The sample region's round data and cluster list, as CSV files in ``folder``."""
    from clusterbook.sample.region import sample_region

    region = sample_region()
    rounds_path, clusters_path = folder / "round_data.csv", folder / "clusters.csv"
    for frame, path in ((region.rounds, rounds_path), (region.clusters, clusters_path)):
        write_csv(frame, path)
    return rounds_path, clusters_path


def write_sample_survey(path: Path, cluster: str = "Nutrition") -> Path:
    """A sample cluster's CCPM survey (synthetic) as a long CSV, one row per answer."""
    from clusterbook.sample.ccpm import sample_survey

    write_csv(sample_survey(cluster).answers, path)
    return path


def write_sample_microplans(folder: Path, district: str = "Kotal") -> Path:
    """One district's submissions (synthetic), a tenth of them with a mistake, in ``folder``."""
    from clusterbook.sample.submissions import write_sample_submissions

    write_sample_submissions(folder, district=district, mistake_share=0.1)
    return folder


def _round_data(context: DemoContext) -> list[Artifact]:
    rounds_path, clusters_path = write_sample_round_data(context.out)
    context.results["round_data"] = rounds_path
    return [Artifact(rounds_path, "round data of the sample region (synthetic): 928 clusters "
                                  "x 12 rounds"),
            Artifact(clusters_path, "the sample region's cluster list")]


def _flags(context: DemoContext) -> list[Artifact]:
    from clusterbook.jobs.flags import FlagsRequest, run_flags
    from clusterbook.sample.region import NOTICE

    out = context.out / "flags.xlsx"
    result = run_flags(FlagsRequest(context.results["round_data"], out, notice=NOTICE))
    context.results["flags"] = result
    return [Artifact(out, "low-performing cluster flags, by round, with a district summary")]


def _worksheet_functions(context: DemoContext) -> list[Artifact]:
    from clusterbook.sample.functions_example import write_functions_example
    from clusterbook.sample.region import NOTICE, sample_region

    out = context.out / "worksheet_functions.xlsx"
    write_functions_example(out, sample_region().rounds, notice=NOTICE)
    return [Artifact(out, "what =CLUSTER_STATUS(), =CLUSTER_FLAGS(), =MICROPLAN_CHECK() and "
                          "=CCPM_SCORE() give in Excel with the add-in (see 'ClusterBook in "
                          "Excel' in the ClusterBook guide)")]


def _submissions(context: DemoContext) -> list[Artifact]:
    from clusterbook.sample.submissions import write_region_submissions

    written = write_region_submissions(context.out / "submissions")
    context.results["submissions"] = written
    return [Artifact(written.folder, f"what the region received (synthetic), a folder per "
                                     f"province: {written.microplans} microplans "
                                     f"({written.with_mistakes} with a mistake), "
                                     f"{written.action_plans} action plans "
                                     f"({len(written.plans_missing)} districts sent none), "
                                     f"{written.newer_versions} newer versions, "
                                     f"{written.copies} identical copies, a file cut off, a "
                                     f"lock file and a scan")]


def _merge(context: DemoContext) -> list[Artifact]:
    from clusterbook.domain.findings import count_errors
    from clusterbook.forms import FORMS
    from clusterbook.jobs.merge import MergeRequest, merge_folder
    from clusterbook.reports.checks_book import write_checked_copy, write_findings_book
    from clusterbook.sample.region import NOTICE

    folder = context.results["submissions"].folder
    out = context.out / "review" / "regional review.xlsx"
    result = merge_folder(MergeRequest(folder, out, context.out / "databook.xlsx",
                                       notice=NOTICE))
    context.results["review"] = out
    assert result.review is not None
    sources = [item.source for item in result.review.files if item.source.form_id
               or item.source.findings]
    findings = context.out / "validation-findings.xlsx"
    write_findings_book([(s.file, FORMS[s.form_id].title if s.form_id in FORMS else
                          "not readable", len(s.entries), s.errors, s.warnings)
                         for s in sources],
                        [finding for s in sources for finding in s.findings], findings)
    # A district officer's view: the checked copies of one district's files with errors.
    checked = 0
    for source in sources:
        if source.readable and count_errors(source.findings) and \
                source.relative.startswith("Northern Hills/Kotal"):
            write_checked_copy(folder / source.relative, source.findings)
            checked += 1
    return [Artifact(out, f"the regional review book: summary and charts, every row with its "
                          f"source, {len(result.review.replaced)} superseded or identical, "
                          f"every finding, a Feedback sheet for reviewers "
                          f"({result.seconds:.1f} s for {result.files} files)"),
            Artifact(findings, "every validation finding of every file, with file, sheet and "
                               "cell"),
            Artifact(folder / "Northern Hills", f"{checked} checked copies "
                                                f"(Kotal_*.checked.xlsx) show a district "
                                                f"where its mistakes are")]


def _feedback(context: DemoContext) -> list[Artifact]:
    from clusterbook.jobs.feedback import FeedbackRequest, write_feedback_books

    paths = write_feedback_books(FeedbackRequest(context.results["review"],
                                                 context.out / "feedback")).books
    return [Artifact(paths[0].parent, f"{len(paths)} feedback books, one per province: review "
                                      f"status and comment per cluster, and what to correct")]


def _ccpm(context: DemoContext) -> list[Artifact]:
    from clusterbook.forms import CCPM
    from clusterbook.jobs.ccpm import OverviewRequest, ReportRequest, run_overview, run_report
    from clusterbook.sample.ccpm import NOTICE, sample_ccpm_data, sample_workshop
    from clusterbook.templates import write_form

    folder = context.out / "ccpm"
    workbook = write_form(folder / "nutrition-ccpm.xlsx", CCPM, sample_ccpm_data("Nutrition"))
    responses = write_sample_survey(folder / "nutrition-responses.csv")
    report = folder / "nutrition-report.xlsx"
    run_report(ReportRequest([workbook], report, notice=NOTICE))
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
        run_report(ReportRequest([write_form(folder / "workbooks" / f"{cluster.lower()}-ccpm.xlsx",
                                             CCPM, sample_ccpm_data(cluster))], final,
                                 notice=NOTICE, annex=sample_workshop(cluster)))
        finals.append(final)
    artifacts.append(Artifact(finals[0], "after the workshop: Annex I filled, a status "
                                         "amended, four months of follow-up (and Health, WASH)"))
    overview = folder / "overview.xlsx"
    run_overview(OverviewRequest(finals, overview))
    artifacts.append(Artifact(overview, "inter-cluster overview of the three sample clusters"))
    return artifacts
def _databook(context: DemoContext) -> list[Artifact]:
    from clusterbook.jobs.databook import DataBookRequest, run_databook
    from clusterbook.sample.region import NOTICE

    out = context.out / "databook.xlsx"
    run_databook(DataBookRequest(context.results["round_data"], out,
                                 context.out / "clusters.csv", notice=NOTICE))
    return [Artifact(out, "the live campaign data book: type PCA and refusals, flags follow "
                          "by native formulas (no add-in needed)")]


#: The demo's steps, in order: (what it does, the step).
STEPS: list[tuple[str, Step]] = [
    ("Writing the sample region's round data", _round_data),
    ("Flagging low-performing clusters", _flags),
    ("Filling the campaign data book", _databook),
    ("Showing the worksheet functions", _worksheet_functions),
    ("Writing the region's submissions", _submissions),
    ("Checking and merging the submissions into the regional review book", _merge),
    ("Writing feedback for each province", _feedback),
    ("Scoring a sample CCPM survey, its report, workshop and the inter-cluster overview",
     _ccpm),
]


#: What the output rules call the demo, in its folder's record and in refusals.
JOB = "demo"


@dataclass(frozen=True)
class DemoRequest:
    """Run every demo step into ``out``, the demo's own folder: new, empty or an earlier
    demo's (files of it changed since are kept as '(old)' copies); a folder holding other
    files is refused (:func:`clusterbook.outputs.own_folder`): the demo merges everything in
    its submissions folder and writes some 300 files."""

    out: Path


@dataclass(frozen=True)
class DemoResult:
    """What the demo wrote, in order."""

    artifacts: list[Artifact]


def run_demo(request: DemoRequest, progress: Progress | None = None) -> DemoResult:
    """Run the demo; ``progress`` hears each step's title as it starts (``done`` is the
    number of steps done, ``total`` the number of steps)."""
    from clusterbook.outputs import own_folder

    report = progress or unheard
    folder = own_folder(Path(request.out), job=JOB)
    context = DemoContext(folder.path)
    artifacts: list[Artifact] = []
    try:
        for done, (title, step) in enumerate(STEPS):
            report(done, len(STEPS), title)
            artifacts.extend(step(context))
        report(len(STEPS), len(STEPS), "Done")
    finally:
        folder.record()  # what was written is the demo's, even when a step failed
    return DemoResult(artifacts)
