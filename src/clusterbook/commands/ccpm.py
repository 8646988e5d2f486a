"""`clusterbook ccpm`: score a CCPM survey, make the report book, check Annex I, and merge
several clusters into the inter-cluster overview."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from clusterbook.commands.options import positive_int
from clusterbook.commands.terminal import working
from clusterbook.outputs import existing_input, kept_note, output_file

RESPONSES_HELP = ("survey responses, .csv or .xlsx: one row per answer (respondent_id, "
                  "respondent_role, organisation_type, question_id, answer) or one row per "
                  "respondent with a column per question id; or a filled CCPM workbook. "
                  "Several files (e.g. the coordinator and the partner questionnaires) are "
                  "pooled")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ccpm", help="CCPM self-assessment: scores, report book, Annex I checks, overview",
        description="Cluster Coordination Performance Monitoring: from the survey export to "
                    "the workshop-ready report, the action plan checks and the inter-cluster "
                    "overview.",
        epilog="Example: clusterbook ccpm report ccpm.xlsx --out report.xlsx")
    jobs = parser.add_subparsers(title="steps", metavar="STEP", required=True)

    scores = jobs.add_parser(
        "scores", help="score each function and sub-function (CSV)",
        description="Score each function (1 to 7) and sub-function (1.1 to 4.2): the median "
                    "over respondents of each respondent's mean answer code, times 25, and its "
                    "band (Good above 75, Satisfactory above 50, Unsatisfactory above 25, Weak "
                    "25 or less, Not assessed).",
        epilog="Example: clusterbook ccpm scores responses.csv --bank bank.csv --out "
               "scores.csv")
    scores.add_argument("responses", nargs="+", type=Path, metavar="RESPONSES",
                        help=RESPONSES_HELP)
    _bank_option(scores)
    scores.add_argument("--out", type=Path, metavar="SCORES.csv",
                        help="write the scores here: function, score (%%), status, "
                             "respondents")
    scores.set_defaults(run=run_scores)

    report = jobs.add_parser(
        "report", help="make the preliminary report book, with Annex I and follow-up",
        description="Make the preliminary report book: overview with bands and a chart, "
                    "each function's questions, answers and comments, good practice and "
                    "constraints, response rates, workshop groups, Annex I (status "
                    "amendments and priority actions), monthly follow-up and the quarterly "
                    "report.",
        epilog="Example: clusterbook ccpm report partners.xlsx coordinator.xlsx "
               "--description cluster.csv --out report.xlsx")
    report.add_argument("responses", nargs="+", type=Path, metavar="RESPONSES",
                        help=RESPONSES_HELP)
    _bank_option(report)
    report.add_argument("--description", type=Path, metavar="CD",
                        help="the cluster description (.csv with label,value rows, or the "
                             "CCPM workbook): cluster, country, date, type of crisis, and "
                             "partners per organisation type for the response rates")
    report.add_argument("--participants", type=Path, metavar="FILE",
                        help="workshop participants (.csv or .xlsx: name, organisation, "
                             "organisation type) to split into working groups")
    report.add_argument("--out", type=Path, required=True, metavar="REPORT.xlsx",
                        help="where to write the report book")
    report.set_defaults(run=run_report)

    check = jobs.add_parser(
        "check", help="check a filled Annex I and summarise the follow-up",
        description="Check a report book after the workshop: every Unsatisfactory or Weak "
                    "function has an action, no function has more than 5, every amended "
                    "status has its reason and consensus note; then summarise the actions' "
                    "progress for the quarterly report.",
        epilog="Example: clusterbook ccpm check report.xlsx --quarter 2")
    check.add_argument("report", type=Path, metavar="REPORT.xlsx",
                       help="a report book made by 'clusterbook ccpm report', filled")
    check.add_argument("--quarter", type=positive_int, choices=range(1, 5), metavar="1-4",
                       help="the quarter to summarise (default: the latest with progress)")
    check.set_defaults(run=run_check)

    overview = jobs.add_parser(
        "overview", help="merge several clusters' reports into the inter-cluster overview",
        description="Merge the report books of several clusters into one function-by-cluster "
                    "matrix of final statuses (amended where the workshop agreed), with the "
                    "weaknesses common to several clusters.",
        epilog="Example: clusterbook ccpm overview nutrition.xlsx health.xlsx wash.xlsx "
               "--out overview.xlsx")
    overview.add_argument("reports", nargs="+", type=Path, metavar="REPORTS",
                          help="report books made by 'clusterbook ccpm report'")
    overview.add_argument("--out", type=Path, required=True, metavar="OVERVIEW.xlsx",
                          help="where to write the overview book")
    overview.set_defaults(run=run_overview)


def _bank_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bank", type=Path, metavar="BANK",
                        help="question bank, .csv or .xlsx (question_id, function, "
                             "sub_function, asked_of, text, scale; a workbook may add a Scales "
                             "sheet). Default: the CCPM workbook's, else the built-in bank")


def _inputs(*paths: Path | None) -> list[Path]:
    """The input files named, each checked to exist."""
    return [existing_input(path) for path in paths if path is not None]


def _run(title: str, job: Callable[[], Any], old: Path | None = None) -> int:
    with working(title):
        result = job()
    return _finish(result, old)


def _finish(result: Any, old: Path | None = None) -> int:
    print("\n".join(filter(None, (result.report(), kept_note(old)))))
    return 1 if result.errors else 0


def run_scores(args: argparse.Namespace) -> int:
    from clusterbook.jobs.ccpm import ScoresRequest
    from clusterbook.jobs.ccpm import run_scores as job

    inputs = _inputs(*args.responses, args.bank)
    old = None if args.out is None else output_file(args.out, inputs=inputs, endings=(".csv",))
    return _finish(job(ScoresRequest(args.responses, args.out, args.bank)), old)


def run_report(args: argparse.Namespace) -> int:
    from clusterbook.jobs.ccpm import ReportRequest
    from clusterbook.jobs.ccpm import run_report as job

    inputs = _inputs(*args.responses, args.bank, args.description, args.participants)
    old = output_file(args.out, inputs=inputs)
    return _run(f"Writing {args.out.name}", lambda: job(ReportRequest(
        args.responses, args.out, bank=args.bank, description=args.description,
        participants=args.participants)), old)


def run_check(args: argparse.Namespace) -> int:
    from clusterbook.jobs.ccpm import CheckRequest
    from clusterbook.jobs.ccpm import run_check as job

    _inputs(args.report)
    return _finish(job(CheckRequest(args.report, args.quarter)))


def run_overview(args: argparse.Namespace) -> int:
    from clusterbook.jobs.ccpm import OverviewRequest
    from clusterbook.jobs.ccpm import run_overview as job

    old = output_file(args.out, inputs=_inputs(*args.reports))
    return _run(f"Writing {args.out.name}", lambda: job(OverviewRequest(args.reports, args.out)),
                old)
