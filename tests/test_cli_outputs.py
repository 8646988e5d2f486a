"""Where the commands write, and what they answer, as an officer meets them: never over an
input or a filled form, an earlier output kept as '(old)', files asked for as files and
folders as folders, safe and unique names, one prefix and one exit code per kind of problem."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from clusterbook.cli import main
from clusterbook.forms import MICROPLAN
from clusterbook.outputs import MAX_NAME_BYTES, UsageError, safe_names
from clusterbook.templates import write_form
from merging import plan, put_plan

SRC = str(Path(__file__).resolve().parent.parent / "src")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "clusterbook", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=cwd)


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def rounds(tmp_path) -> Path:
    path = tmp_path / "rounds.csv"
    path.write_text("Province,District,Cluster,Round,PCA,Refusal\n"
                    + "".join(f"P,D,C{c},R{r},{80 + c + r},{c}\n"
                              for c in range(1, 4) for r in range(1, 5)), encoding="utf-8")
    return path


@pytest.fixture
def filled_microplan(tmp_path) -> Path:
    return put_plan(tmp_path, "Kotal_KTL-001.xlsx", "KTL-001", 0)


def test_flags_never_writes_over_its_input(tmp_path, rounds, capsys):
    before = files_in(tmp_path)
    assert main(["flags", str(rounds), "--out", str(rounds)]) == 2
    assert capsys.readouterr().err == (f"clusterbook flags: '{rounds}' is one of this job's "
                                       f"inputs; write to another file (nothing was "
                                       f"written)\n")
    assert files_in(tmp_path) == before


def test_an_xlsx_input_is_never_overwritten_either(tmp_path, rounds, capsys):
    book = tmp_path / "book.xlsx"
    assert main(["flags", str(rounds), "--out", str(book)]) == 0
    # the book is round data too (its Flags sheet): written over it would lose it
    before = book.read_bytes()
    assert main(["flags", str(book), "--out", str(book)]) == 2
    assert book.read_bytes() == before
    assert not (tmp_path / "book (old).xlsx").exists()


def test_a_filled_form_is_never_overwritten(tmp_path, rounds, filled_microplan, capsys):
    before = files_in(tmp_path)
    assert main(["flags", str(rounds), "--out", str(filled_microplan)]) == 2
    assert "is a microplan, which people fill in" in capsys.readouterr().err
    assert main(["databook", str(rounds), "--out", str(filled_microplan)]) == 2
    assert files_in(tmp_path) == before


def test_an_earlier_output_is_kept_as_old(tmp_path, rounds, capsys):
    out = tmp_path / "flags.xlsx"
    assert main(["flags", str(rounds), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert main(["flags", str(rounds), "--out", str(out), "--rounds", "2"]) == 0
    assert f"The earlier file is kept as {tmp_path / 'flags (old).xlsx'}." in \
        capsys.readouterr().out
    assert (tmp_path / "flags (old).xlsx").read_bytes() == first
    assert main(["flags", str(rounds), "--out", str(out)]) == 0
    assert (tmp_path / "flags (old).xlsx").read_bytes() == first  # never replaced
    assert (tmp_path / "flags (old 2).xlsx").exists()
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Current", "Flags"]


@pytest.mark.parametrize(("out", "reason"), [
    ("folder", "is a folder; give a file name ending in .xlsx or .csv"),
    ("flags.txt", "'flags.txt' must end in .xlsx or .csv"),
])
def test_out_names_a_file_or_is_refused(tmp_path, rounds, capsys, out, reason):
    (tmp_path / "folder").mkdir()
    assert main(["flags", str(rounds), "--out", str(tmp_path / out)]) == 2
    assert reason in capsys.readouterr().err
    assert not (tmp_path / "flags.txt").exists() and not any((tmp_path / "folder").iterdir())


def test_templates_save_keeps_a_filled_microplan_as_old(tmp_path, filled_microplan, capsys):
    folder = tmp_path / "templates"
    folder.mkdir()
    target = folder / "cesm-microplan.xlsx"
    target.write_bytes(filled_microplan.read_bytes())
    assert main(["templates", "save", "--out", str(folder)]) == 0
    assert "the earlier file is kept as cesm-microplan (old).xlsx" in capsys.readouterr().out
    assert (folder / "cesm-microplan (old).xlsx").read_bytes() == filled_microplan.read_bytes()
    blank = openpyxl.load_workbook(target)["Identification"]
    filled = openpyxl.load_workbook(filled_microplan)["Identification"]
    assert [c.value for c in filled["B"]] != [c.value for c in blank["B"]]
    assert main(["templates", "save", "--out", str(folder)]) == 0  # the same blanks again:
    assert sorted(path.name for path in folder.iterdir()) == [  # no copy of a copy
        "campaign-databook.xlsx", "ccpm.xlsx", "cesm-microplan (old).xlsx",
        "cesm-microplan.xlsx", "lpc-action-plan.xlsx"]


def test_templates_save_into_a_file_is_refused(tmp_path, filled_microplan, capsys):
    assert main(["templates", "save", "--out", str(filled_microplan)]) == 2
    assert "is a file; give a folder" in capsys.readouterr().err


def test_validate_xlsx_without_out_keeps_the_earlier_findings_book(tmp_path,
                                                                   filled_microplan):
    for _ in range(2):
        result = run_cli("validate", str(filled_microplan), "--format", "xlsx", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "findings.xlsx").exists() and (tmp_path / "findings (old).xlsx").exists()
    assert "The earlier file is kept as findings (old).xlsx." in result.stdout
    refused = run_cli("validate", str(filled_microplan), "--format", "xlsx", "--out",
                      str(filled_microplan), cwd=tmp_path)
    assert refused.returncode == 2 and "one of this job's inputs" in refused.stderr


def test_merge_asks_for_a_folder_and_feedback_for_a_folder(tmp_path, filled_microplan):
    given_file = run_cli("merge", str(filled_microplan), "--out", str(tmp_path / "r.xlsx"))
    assert given_file.returncode == 2
    assert given_file.stderr == (f"clusterbook merge: '{filled_microplan}' is a file; give "
                                 f"the folder that holds the workbooks\n")
    review = tmp_path / "review.xlsx"
    assert run_cli("merge", str(tmp_path), "--out", str(review)).returncode == 0
    as_file = run_cli("feedback", str(review), "--out", str(tmp_path / "fb.xlsx"))
    assert as_file.returncode == 2 and "give a folder" in as_file.stderr
    assert not (tmp_path / "fb.xlsx").exists()
    into_form = run_cli("merge", str(tmp_path / "in"), "--out", str(filled_microplan))
    assert into_form.returncode == 2


def test_feedback_names_are_safe_and_unique(tmp_path):
    folder = tmp_path / "in"
    long_name = "Province of the very long name " * 12
    for code, province in (("KTL-001", "North/East"), ("KTL-002", "North:East"),
                           ("KTL-003", long_name)):
        data = copy.deepcopy(plan(code))
        data.records["identification"]["province"] = province
        folder.mkdir(exist_ok=True)
        write_form(folder / f"{code}.xlsx", MICROPLAN, data)
    review = tmp_path / "review.xlsx"
    assert run_cli("merge", str(folder), "--out", str(review)).returncode == 0
    out = tmp_path / "feedback"
    result = run_cli("feedback", str(review), "--out", str(out), "--verbose")
    assert result.returncode == 0, result.stderr
    books = sorted(path.name for path in out.iterdir())
    assert len(books) == 3, books
    assert "North-East feedback.xlsx" in books and "North-East (2) feedback.xlsx" in books
    titles = {openpyxl.load_workbook(out / name)["Feedback"]["A1"].value for name in books}
    assert titles == {"Feedback to North/East", "Feedback to North:East",
                      f"Feedback to {long_name.strip()}"}
    again = run_cli("feedback", str(review), "--out", str(out))
    assert again.returncode == 0 and len(list(out.iterdir())) == 6  # earlier ones as (old)


def test_safe_names():
    names = safe_names(["A/B", "a:b", "CON", "  ", "x" * 400, "é" * 200, "Tab\there."])
    assert names[:4] == ["A-B", "a-b (2)", "CON_", "unnamed"]
    assert all(len(name.encode()) <= MAX_NAME_BYTES for name in names)
    assert names[5] == "é" * (MAX_NAME_BYTES // 2)
    assert names[6] == "Tab-here"  # a tab, then "here"


@pytest.mark.parametrize("args", [
    ["flags", "nosuch.csv"], ["databook", "nosuch.csv"], ["validate", "nosuch.xlsx"],
    ["merge", "nosuch", "--out", "r.xlsx"], ["feedback", "nosuch.xlsx", "--out", "fb"],
    ["ccpm", "scores", "nosuch.csv"], ["ccpm", "check", "nosuch.xlsx"],
    ["ccpm", "report", "nosuch.csv", "--out", "r.xlsx"]])
def test_a_missing_input_is_usage_exit_2_with_the_jobs_prefix(tmp_path, args):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    prefix = "clusterbook " + " ".join(args[:2] if args[0] == "ccpm" else args[:1]) + ": "
    assert result.stderr.startswith(prefix) and "nosuch" in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


def test_exit_codes_0_1_2_and_help(tmp_path, rounds, filled_microplan):
    assert run_cli("flags", str(rounds), "--out", str(tmp_path / "f.xlsx")).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Province,District,Cluster,Round,PCA,Refusal\nP,D,C1,R1,9O,1\n")
    refused = run_cli("flags", str(bad), "--out", str(tmp_path / "g.xlsx"))
    assert refused.returncode == 1 and refused.stderr.startswith("clusterbook flags: bad.csv")
    broken = tmp_path / "broken" / "x.xlsx"
    broken.parent.mkdir()
    broken.write_bytes(b"PK\x03\x04 not really")
    assert run_cli("validate", str(broken)).returncode == 1
    usage = run_cli("flags", str(rounds), "--rounds", "0")
    assert usage.returncode == 2 and usage.stderr.splitlines()[-1].startswith(
        "clusterbook flags: error:")
    text = " ".join(run_cli("--help").stdout.split())
    assert "Exit codes: 0 done; 1 findings in the data (the output is written, with them), or " \
           "data refused; 2 the command was not used correctly" in text


@pytest.mark.parametrize("job", [
    "flags", "databook", "templates build", "templates save", "templates list", "validate",
    "merge", "feedback", "ccpm scores", "ccpm report", "ccpm check", "ccpm overview",
    "excel setup", "excel remove", "excel status", "launcher", "demo"])
def test_every_jobs_help_states_the_exit_codes_and_output_rules(job):
    text = " ".join(run_cli(*job.split(), "--help").stdout.split())
    assert "Exit codes: 0 done; 1 findings in the data" in text
    assert f"Messages start with 'clusterbook {job}:'" in text
    writes = "--out" in text or "--screenshot" in text
    assert ("Files written: never over one of the job's inputs" in text) == writes


@pytest.mark.parametrize(("name", "kept"), [
    ("flags.xlsx", "flags (old).xlsx"),
    ("Kotal_KTL-001.checked.xlsx", "Kotal_KTL-001 (old).checked.xlsx"),
    ("Kandahar v1.2.xlsx", "Kandahar v1.2 (old).xlsx"),
    ("round data.csv", "round data (old).csv")])
def test_an_old_copy_keeps_the_names_mark(tmp_path, name, kept):
    from clusterbook.outputs import keep_old_copy

    (tmp_path / name).write_bytes(b"earlier")
    assert keep_old_copy(tmp_path / name) == tmp_path / kept
    assert (tmp_path / kept).read_bytes() == b"earlier"


def test_the_demo_refuses_a_folder_holding_other_files(tmp_path):
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "my flags.xlsx").write_bytes(b"my own book")
    (folder / "submissions").mkdir()
    before = files_in(folder)
    result = run_cli("demo", "--out", str(folder))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (f"clusterbook demo: '{folder}' already holds other files ('my "
                             f"flags.xlsx', 'submissions'); the demo fills a folder of its "
                             f"own, so give a new or empty folder, for example "
                             f"'{folder / 'clusterbook-demo'}' (nothing was written)\n")
    assert files_in(folder) == before and sorted(p.name for p in folder.iterdir()) == [
        "my flags.xlsx", "submissions"]
    as_file = run_cli("demo", "--out", str(folder / "my flags.xlsx"))
    assert as_file.returncode == 2 and "is a file; give a folder" in as_file.stderr


def test_a_folder_of_its_own_is_filled_again_keeping_what_was_changed(tmp_path):
    from clusterbook.outputs import FOLDER_RECORD, check_own_folder, own_folder

    folder = tmp_path / "demo"
    first = own_folder(folder, job="demo")
    for name, text in (("a.csv", "1"), ("b/c.xlsx", "2"), ("b/lock", "3")):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text(text)
    first.record()
    (folder / "a.csv").write_text("1, with my note")  # changed since
    (folder / "mine.txt").write_text("mine")  # added by the user: left alone
    again = own_folder(folder, job="demo")
    assert files_in(folder) == {"a (old).csv": b"1, with my note", "mine.txt": b"mine",
                                FOLDER_RECORD: (folder / FOLDER_RECORD).read_bytes()}
    (folder / "a.csv").write_text("1")
    again.record()
    assert set(json.loads((folder / FOLDER_RECORD).read_text())["files"]) == {"a.csv"}
    with pytest.raises(UsageError, match="already holds other files"):
        check_own_folder(folder, job="another job")
