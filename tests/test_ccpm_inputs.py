"""CCPM survey files: long and wide, CSV and XLSX, the CCPM workbook, and broken inputs.

Every shape of the same survey must give the same scores; bad files give one plain message
or findings naming the cell, never a traceback and never a silent zero.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import clusterbook
from clusterbook.ccpm.inputs import read_survey
from clusterbook.cli import main
from clusterbook.domain.ccpm import assess
from clusterbook.domain.errors import InputError, WorkbookError
from clusterbook.forms import CCPM
from clusterbook.jobs.ccpm import ScoresRequest, run_scores
from clusterbook.sample.ccpm import description_rows, sample_ccpm_data, sample_survey, wide
from clusterbook.templates import write_form

SRC = str(Path(clusterbook.__file__).parent.parent)


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "clusterbook", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def survey():
    return sample_survey("Nutrition")


@pytest.fixture(scope="module")
def files(tmp_path_factory, survey) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ccpm")
    paths = {name: folder / name for name in (
        "long.csv", "long.xlsx", "wide.csv", "wide.xlsx", "texts.xlsx", "ccpm.xlsx",
        "coordinator.csv", "partners.xlsx", "description.csv")}
    survey.answers.to_csv(paths["long.csv"], index=False)
    survey.answers.to_excel(paths["long.xlsx"], index=False, sheet_name="Answers")
    table = wide(survey.answers)
    table.to_csv(paths["wide.csv"], index=False)
    # A survey tool's export: metadata columns, a title row, the id in '_uuid'.
    export = table.rename(columns={"respondent_id": "_uuid", "organisation_type":
                                   "Type of organisation", "respondent_role": "Questionnaire"})
    export.insert(0, "start", "2025-03-01")
    export.insert(1, "_submission_time", "2025-03-02")
    with pd.ExcelWriter(paths["wide.xlsx"], engine="openpyxl") as writer:
        export.to_excel(writer, index=False, startrow=2, sheet_name="Export")
        writer.sheets["Export"]["A1"] = "Nutrition cluster CCPM, partner survey export"
    bank = {q.question_id: q.text for q in survey_bank().questions}
    table.rename(columns={qid: f"{qid} {bank[qid]}" for qid in bank if qid in table.columns}
                 ).to_excel(paths["texts.xlsx"], index=False)
    write_form(paths["ccpm.xlsx"], CCPM, sample_ccpm_data("Nutrition"))
    coordinator = table[table["respondent_role"] == "Coordinator"]
    coordinator.to_csv(paths["coordinator.csv"], index=False)
    table[table["respondent_role"] == "Partner"].to_excel(paths["partners.xlsx"], index=False)
    description_rows(survey.description).to_csv(paths["description.csv"], index=False)
    return paths


def survey_bank():
    from clusterbook.domain.ccpm import default_bank

    return default_bank()


def scores_of(*paths: Path) -> pd.DataFrame:
    read = read_survey(list(paths))
    return assess(read.answers, read.bank).scores


@pytest.mark.parametrize("shape", [("long.csv",), ("long.xlsx",), ("wide.csv",),
                                   ("wide.xlsx",), ("texts.xlsx",), ("ccpm.xlsx",),
                                   ("coordinator.csv", "partners.xlsx")])
def test_every_shape_of_one_survey_gives_the_same_scores(files, survey, shape):
    expected = assess(survey.answers).scores
    assert_frame_equal(scores_of(*(files[name] for name in shape)), expected)


def test_the_wide_export_reads_its_columns_and_says_what_it_ignored(files):
    read = read_survey([files["wide.xlsx"]])
    rules = {finding.rule: finding for finding in read.findings}
    ignored = rules["ccpm-ignored-column"]
    assert "'start'" in ignored.message and "'_submission_time'" in ignored.message
    assert set(read.answers["sheet"]) == {"Export"}
    first = read.answers.iloc[0]
    # Title in row 1, header in row 3: the first respondent is in row 4.
    assert first["answer@cell"].endswith("4") and first["respondent_id"] == "R001"
    assert first["organisation_type"] == "UN agency"


def test_the_ccpm_workbook_gives_its_description_and_participants(files, survey):
    read = read_survey([files["ccpm.xlsx"]])
    assert read.description == survey.description
    assert read.participants is not None and len(read.participants) == 28
    assert read.findings == []


def test_a_description_csv(files, survey):
    read = read_survey([files["long.csv"]], description=files["description.csv"])
    assert read.description == survey.description


def test_a_description_label_nobody_knows_is_a_warning_with_its_cell(tmp_path, survey):
    rows = description_rows(survey.description)
    rows.loc[len(rows)] = ["International NGOs", "12"]
    path = tmp_path / "cluster.csv"
    rows.to_csv(path, index=False)
    read = read_survey([files_long(tmp_path, survey)], description=path)
    assert read.description == survey.description  # nothing else changes
    [finding] = [f for f in read.findings if f.rule == "ccpm-description"]
    assert finding.cell == f"A{len(rows) + 1}" and finding.value == "International NGOs"
    assert "is neither a field of the cluster description nor an organisation type" in \
        finding.message


def files_long(folder: Path, survey) -> Path:
    path = folder / "answers.csv"
    survey.answers.to_csv(path, index=False)
    return path


def test_unknown_question_columns_and_answers_are_findings_with_cells(tmp_path, survey):
    table = wide(survey.answers).head(5)
    table["9.9z"] = "Yes"                      # no such question
    table.loc[2, "1.1b"] = "Agreed"            # no such answer
    path = tmp_path / "export.xlsx"
    table.to_excel(path, index=False, sheet_name="Data")
    read = read_survey([path])
    result = assess(read.answers, read.bank)
    findings = {f.rule: f for f in [*read.findings, *result.findings]}
    column = openpyxl.utils.get_column_letter(list(table.columns).index("9.9z") + 1)
    unknown = findings["ccpm-unknown-question"]
    assert (unknown.file, unknown.sheet, unknown.cell) == ("export.xlsx", "Data", f"{column}1")
    assert "its 5 answers are left out" in unknown.message
    answer = findings["ccpm-unknown-answer"]
    letter = openpyxl.utils.get_column_letter(list(table.columns).index("1.1b") + 1)
    assert answer.cell == f"{letter}4" and answer.value == "Agreed"
    # Left out, not zero: 1.1b's score is that of the other four answers.
    others = [a for a in table["1.1b"].drop(index=2) if isinstance(a, str)]
    from clusterbook.domain.ccpm import question_score

    scored = result.questions.set_index("question_id").at["1.1b", "score"]
    assert scored == question_score(others)


def test_scores_cli_writes_the_table_and_exits_1_on_errors(tmp_path, files):
    out = tmp_path / "scores.csv"
    result = run_cli("ccpm", "scores", str(files["long.csv"]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    assert written.splitlines()[0] == "function,score,status,respondents"
    table = pd.read_csv(out, dtype={"function": str})
    assert table["function"].tolist() == ["1", "1.1", "1.2", "2", "2.1", "2.2", "2.3", "3",
                                          "3.1", "3.2", "3.3", "4", "4.1", "4.2", "5", "6",
                                          "7"]
    expected = assess(sample_survey("Nutrition").answers).scores
    assert table["score"].tolist() == pytest.approx(expected["score"].tolist())
    assert table["status"].tolist() == expected["status"].tolist()

    bad = tmp_path / "bad.csv"
    frame = sample_survey("Nutrition").answers.head(30).copy()
    frame.loc[3, "answer"] = "Sometimez"
    frame.to_csv(bad, index=False)
    result = run_cli("ccpm", "scores", str(bad), "--out", str(tmp_path / "bad-scores.csv"))
    assert result.returncode == 1
    assert "bad.csv › E5: question" in result.stdout and "Sometimez" in result.stdout
    assert "Traceback" not in result.stderr
    assert (tmp_path / "bad-scores.csv").exists()  # the rest is scored, the problem said


def test_not_assessed_functions_have_an_empty_score(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("respondent_id,respondent_role,organisation_type,question_id,answer\n"
                    "A,Partner,INGO,6a,Sometimes\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    run_scores(ScoresRequest([path], out))
    lines = dict(line.split(",", 1) for line in out.read_text().splitlines()[1:])
    assert lines["6"] == "50.0,Unsatisfactory,1"
    assert lines["5"] == ",Not assessed,0"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"name,age\nA,3\n", "no survey responses were found"),
    (b"question_id,answer\n1.1a,Yes\n", "no respondent_id column"),
    (b"respondent_id,question_id,answer\n,,\n", "no answers were found"),
])
def test_bad_csv_files_are_one_clear_message(tmp_path, capsys, content, message):
    path = tmp_path / "responses.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_survey([path])
    assert main(["ccpm", "scores", str(path), "--out", str(tmp_path / "s.csv")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("clusterbook ccpm scores: responses.csv") and message in error
    assert not (tmp_path / "s.csv").exists()


def test_broken_and_wrong_files(tmp_path, files, capsys):
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(files["wide.xlsx"].read_bytes()[:2000])
    with pytest.raises(WorkbookError, match="damaged or incomplete"):
        read_survey([truncated])
    with pytest.raises(InputError, match=r"must be a \.csv or \.xlsx"):
        read_survey([tmp_path / "answers.pdf"])
    with pytest.raises(InputError, match="does not exist"):
        read_survey([tmp_path / "missing.csv"])
    assert main(["ccpm", "scores", str(files["long.csv"]), "--out",
                 str(tmp_path / "s.xlsx")]) == 2  # a usage error: nothing is written
    assert "'s.xlsx' must end in .csv" in capsys.readouterr().err
    assert not (tmp_path / "s.xlsx").exists()


def test_a_bank_file_with_errors_keeps_the_good_questions(tmp_path, files, capsys):
    bank = tmp_path / "bank.csv"
    rows = [{"question_id": q.question_id, "function": q.function,
             "sub_function": q.sub_function, "asked_of": q.asked_of, "text": q.text,
             "scale": q.scale} for q in survey_bank().questions]
    rows[0]["scale"] = "Stars"
    pd.DataFrame(rows).to_csv(bank, index=False)
    assert main(["ccpm", "scores", str(files["long.csv"]), "--bank", str(bank)]) == 1
    printed = capsys.readouterr().out
    assert "bank.csv › F2: question 1.1a: scale 'Stars' is not on the Scales sheet" in printed
    # 1.1a left the bank, so its answers are now unknown questions.
    assert "question id '1.1a' is not in the question bank" in printed


def test_a_bank_as_people_write_it(tmp_path, capsys):
    bank = tmp_path / "bank.csv"
    bank.write_text(
        "ID,Function,Sub function,Answered by,Question,Scale\n"
        "Q1,Function 1,1.1,coordinator,Meetings happen,yes_no\n"
        "Q2,1,Sub-function 1.2,Partners,Duplication avoided,Likert\n"
        "Q3,F6,,both,Advocacy happens,frequency\n"
        "Q4,6,6,Both,Any answer,\n"
        "Q5,2,3.1,Both,Wrong place,Agreement\n", encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "respondent_id,respondent_role,organisation_type,question_id,answer\n"
        "A,Coordinator,UN Agency,q1,YES\n"
        "B,Partner,INGO,Q2,Agree\n"
        "B,Partner,INGO,Q3,Very Regularly\n"
        "B,Partner,INGO,Q4,Sometimes\n"
        "C,Partner,NNGO,Q3,Never\n"
        "C,Partner,NNGO,Q4,No\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    assert main(["ccpm", "scores", str(answers), "--bank", str(bank), "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    # Q5's sub-function 3.1 is not part of function 2: left out of the bank, so its id is
    # unknown in no answer; nothing else is wrong.
    assert "bank.csv › C6: question Q5: sub-function '3.1' is not part of function 2" in printed
    assert printed.count("ERROR") == 1
    scores = pd.read_csv(out, dtype={"function": str}).set_index("function")
    assert scores.at["1.1", "score"] == 100.0          # Q1: A's Yes
    assert scores.at["1.2", "score"] == 75.0           # Q2: B's Agree
    assert scores.at["1", "respondents"] == 2
    # Function 6: B mean (4 + 2) / 2 = 3, C (0 + 0) / 2 = 0: median 1.5 -> 37.5
    assert scores.at["6", "score"] == 37.5 and scores.at["6", "status"] == "Unsatisfactory"
