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
    return [Artifact(out, "what =CLUSTER_STATUS() and =CLUSTER_FLAGS() give in Excel "
                          "(see docs/excel-addin.md)")]
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


#: The demo's steps, in order: (what it does, the step).
STEPS: list[tuple[str, Step]] = [
    ("Writing the sample region's round data", _round_data),
    ("Flagging low-performing clusters", _flags),
    ("Showing the worksheet functions", _worksheet_functions),
    ("Checking filled microplans", _validation),
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
