"""CCPM scoring at scale: exact scores (fractions) beside a float pandas groupby doing the
same arithmetic, and the whole report book.

    python benchmarks/ccpm_scale.py [--respondents 2000]

Prints, from one run on the same synthetic survey (the sample Nutrition cluster's answers
repeated under new respondent ids):
- ``assess`` (every function, sub-function and question score, distributions, comments,
  response rates), best of three;
- the peer: a float pandas groupby computing only the 17 function and sub-function scores;
- the largest difference between the two (the exact scores decide the bands);
- writing the report book from that survey.
A country cluster has tens to a few hundred respondents; 2,000 is well beyond any CCPM.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pandas as pd
from timing import timings

from clusterbook.ccpm.inputs import Survey
from clusterbook.domain.ccpm import answer_code, assess, default_bank
from clusterbook.jobs.ccpm import prepare_report
from clusterbook.reports.ccpm_book import write_report_book
from clusterbook.sample.ccpm import sample_survey


def survey_of(respondents: int) -> pd.DataFrame:
    base = sample_survey("Nutrition").answers
    people = base["respondent_id"].unique()
    copies = -(-respondents // len(people))
    frames = []
    for copy in range(copies):
        frame = base.copy()
        frame["respondent_id"] = frame["respondent_id"] + f"-{copy}"
        if copy:
            frame = frame[frame["respondent_role"] == "Partner"]
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    keep = table["respondent_id"].drop_duplicates().head(respondents)
    return table[table["respondent_id"].isin(keep)].reset_index(drop=True)


def float_scores(table: pd.DataFrame) -> dict[str, float]:
    """The peer: plain floats, pandas groupby, no checks, no findings."""
    bank = default_bank()
    questions = {q.question_id: q for q in bank.questions if q.scored}
    coded = table[table["question_id"].isin(questions)].copy()
    coded["code"] = [answer_code(answer) if isinstance(answer, str) else None
                     for answer in coded["answer"]]
    coded = coded.dropna(subset=["code"])
    coded["function"] = coded["question_id"].map(lambda q: questions[q].function)
    coded["sub_function"] = coded["question_id"].map(lambda q: questions[q].sub_function)
    result = {}
    for column in ("function", "sub_function"):
        means = coded[coded[column] != ""].groupby([column, "respondent_id"])["code"].mean()
        result.update((means.groupby(level=0).median() * 25).to_dict())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    args = parser.parse_args()
    table = survey_of(args.respondents)
    print(f"{table['respondent_id'].nunique():,} respondents, {len(table):,} answers")
    assessment, exact_ms, _ = timings(lambda: assess(table), 3)
    peer, peer_ms, _ = timings(lambda: float_scores(table), 3)
    scores = assessment.scores.set_index("function")["score"]
    difference = max(abs(scores[group] - value) for group, value in peer.items())
    print(f"assess (exact, every table):      {exact_ms / 1000:7.3f} s")
    print(f"float groupby (17 scores only):   {peer_ms / 1000:7.3f} s   "
          f"ratio {exact_ms / peer_ms:.1f}x")
    print(f"largest score difference:         {difference:.2e} points")
    survey = Survey(table, default_bank(), sample_survey("Nutrition").description)
    content = prepare_report(survey)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_report_book(content, Path(folder) / "report.xlsx")
        print(f"report book:                      {time.perf_counter() - start:7.3f} s")


if __name__ == "__main__":
    main()
