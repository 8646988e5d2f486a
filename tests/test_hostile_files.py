"""Every family of hostile file (tests/hostile.py) beside good submissions, run through the
command line as an officer runs it: validate, merge, feedback, write-back. Each run ends with
exit 0 or 1 and no traceback, names every hostile file with its rule, merges the good files,
modifies no input, and stays within the memory and processor time it is given."""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import python_calamine

from clusterbook.domain.outcomes import printable
from hostile import corpus, write_corpus
from merging import cluster_csv, plan, put_plan, snapshot, table

SRC = Path(__file__).resolve().parent.parent / "src"
#: What each run may use: far less than a claim in a hostile file would make a reader take.
MEMORY_BYTES = 3 * 1024**3
CPU_SECONDS = 240


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, bounded in memory and processor time (a
    hang would be stopped by the time limit of the run, never asserted on)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONIOENCODING": "utf-8"}
    env.pop("CI", None)
    return subprocess.run([sys.executable, "-m", "clusterbook", *arguments],
                          capture_output=True, text=True, errors="surrogateescape", env=env,
                          preexec_fn=_limits, timeout=900)


def _clean(done: subprocess.CompletedProcess[str], codes: tuple[int, ...] = (0, 1)) -> None:
    assert done.returncode in codes, done.stderr[-3000:]
    for text in (done.stdout, done.stderr):
        assert "Traceback" not in text
        assert "went wrong inside ClusterBook" not in text
        assert "\x1b" not in text and "\x07" not in text  # escaped, never raw


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Two good microplans and every hostile file, in one folder."""
    return _build(tmp_path_factory.mktemp("hostile"))


def _build(root: Path) -> Path:
    folder = root / "submissions"
    put_plan(folder, "Kotal_KTL-002.xlsx", "KTL-002", 1)
    put_plan(folder, "Kotal_KTL-003.xlsx", "KTL-003", 2)
    from clusterbook.forms import MICROPLAN
    from clusterbook.templates import write_form

    good = write_form(root / "good.xlsx", MICROPLAN, plan("KTL-001")).read_bytes()
    write_corpus(folder, good)
    cluster_csv(root)
    return folder


def _expected() -> dict[str, str]:
    return {printable(item.name): item.rule for item in corpus()}


def test_the_corpus_covers_every_family():
    families: dict[str, int] = {}
    for item in corpus():
        families[item.family] = families.get(item.family, 0) + 1
    assert families == {"claims": 2, "reach": 2, "zip parts": 3, "bombs": 2, "broken": 4,
                        "special": 4, "names": 5, "values": 7, "size": 1, "layout": 1}


def test_validate_names_every_hostile_file_with_its_rule(folder):
    before = snapshot(folder)
    done = run("validate", str(folder), "--format", "json")
    _clean(done)
    assert done.returncode == 1
    findings = json.loads(done.stdout)
    rules: dict[str, set[str]] = {}
    for finding in findings:
        rules.setdefault(finding["file"], set()).add(finding["rule"])
        assert finding["message"].isprintable()
    for name, rule in _expected().items():
        if rule:
            assert rule in rules.get(name, set()), (name, rules.get(name))
        else:
            assert not any(r.startswith("file-") for r in rules.get(name, set())), name
    assert "Kotal_KTL-002.xlsx" not in rules and "Kotal_KTL-003.xlsx" not in rules
    assert snapshot(folder) == before


def test_merge_goes_on_past_every_hostile_file(folder, tmp_path):
    before = snapshot(folder)
    out = tmp_path / "review" / "region.xlsx"
    clusters = folder.parent / "clusters.csv"
    done = run("merge", str(folder), "--out", str(out), "--clusters", str(clusters))
    _clean(done)
    assert done.returncode == 1  # the book is written; the files merged hold errors
    assert snapshot(folder) == before
    rows = table(out, "1 Identification")
    sources = {row["Cluster code"]: row["Source file"] for row in rows}
    assert sources["KTL-002"] == "Kotal_KTL-002.xlsx"
    assert sources["KTL-003"] == "Kotal_KTL-003.xlsx"
    assert "KTL-001" in sources  # one of the readable hostile files holds it
    issues: dict[str, set[str]] = {}
    for row in table(out, "Issues"):
        issues.setdefault(row["File"], set()).add(row["Rule"])
    for name, rule in _expected().items():
        if rule.startswith("file-") and rule != "file-name":
            assert rule in issues.get(name, set()), (name, issues.get(name))
    files = {row["File"]: row["Outcome"] for row in table(out, "Files")}
    assert files["pipe.xlsx"].startswith("Not readable")
    kinds = {row["File"]: row["Kind"] for row in table(out, "Files")}
    assert (kinds["Kotal_KTL-002.xlsx"], kinds["pipe.xlsx"], kinds["inflated.xlsx"],
            kinds["cut_off.xlsx"], kinds["old.xls"]) == (
        "read", "refused", "refused", "unreadable", "not-a-form")
    assert files[printable("Kandahar_\udce9\udcff.xlsx")] is not None
    # The book is a valid input again: feedback from it, and a re-run with nothing changed.
    feedback = run("feedback", str(out), "--out", str(tmp_path / "feedback"))
    _clean(feedback, (0,))
    assert list((tmp_path / "feedback").glob("*.xlsx"))
    again = run("merge", str(folder), "--out", str(out), "--clusters", str(clusters))
    _clean(again)
    assert "up to date" in again.stdout
    assert snapshot(folder) == before


def test_write_back_copies_every_readable_file_and_changes_none(tmp_path):
    work = _build(tmp_path)
    before = snapshot(work)
    done = run("validate", str(work), "--write-back", "--verbose")
    _clean(done)
    assert "\\x1b" in done.stdout  # the name with an escape code, shown escaped
    assert "large_valid.xlsx: the workbook is 1.5 MB, too large for a checked copy" in done.stdout
    written = [line.removeprefix("Wrote ") for line in done.stdout.splitlines()
               if line.startswith("Wrote ") and line.endswith(".checked.xlsx")]
    copies = [path for path in work.rglob("*.checked.xlsx")]
    assert len(copies) == len(written) >= 12
    for copy in copies:  # each copy opens, with its Checks sheet first
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(copy.read_bytes()))
        assert book.sheet_names[0] == "Checks"
    merged = work / "merged_cells.checked.xlsx"
    rows = python_calamine.CalamineWorkbook.from_path(str(merged)).get_sheet_by_name(
        "Checks").to_python()
    assert any("merged-cells" in row for row in rows)
    control = python_calamine.CalamineWorkbook.from_path(
        str(work / "control_text.checked.xlsx")).get_sheet_by_name("Checks").to_python()
    assert any("\\x1b" in str(value) for row in control for value in row)
    after = snapshot(work)
    assert {name: after[name] for name in before} == before


def test_pipes_and_broken_links_named_on_the_command_line(tmp_path):
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    done = run("validate", str(tmp_path / "pipe.xlsx"), str(tmp_path / "gone.xlsx"),
               "--format", "json")
    _clean(done)
    assert {(f["file"], f["rule"]) for f in json.loads(done.stdout)} == {
        ("pipe.xlsx", "file-special"), ("gone.xlsx", "file-special")}


def _full_disk() -> None:
    """A disk that fills up after 20 kB of any file written (the signal ignored, so that a
    write fails with 'File too large' as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_is_a_sentence_and_changes_nothing(tmp_path):
    folder = tmp_path / "submissions"
    put_plan(folder, "Kotal_KTL-002.xlsx", "KTL-002", 1)
    before = snapshot(folder)
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "1"}
    out = tmp_path / "review" / "review.xlsx"
    for arguments, words in (
            (["merge", str(folder), "--out", str(out)], "the review book could not be written"),
            (["validate", str(folder), "--write-back"], "the checked copy cannot be written")):
        done = subprocess.run([sys.executable, "-m", "clusterbook", *arguments],
                              capture_output=True, text=True, env=env, preexec_fn=_full_disk,
                              timeout=600)
        _clean(done)
        assert "Exception ignored" not in done.stderr
        assert words in done.stdout + done.stderr
    assert not out.exists()
    assert snapshot(folder) == before


def test_reading_processes_give_the_same_outcomes(folder, tmp_path, capfd):
    from clusterbook.jobs.merge import MergeRequest, merge_folder

    clusters = folder.parent / "clusters.csv"
    books = {}
    for workers in (1, 2):  # in this process, then in two reading processes
        out = tmp_path / f"{workers}" / "review.xlsx"
        merge_folder(MergeRequest(folder, out, clusters=clusters, workers=workers))
        books[workers] = sorted((row["File"], row["Kind"], row["Outcome"])
                                for row in table(out, "Files"))
    assert books[1] == books[2]
    assert "Traceback" not in capfd.readouterr().err  # no reading process failed
    assert ("pipe.xlsx", "refused") in {(file, kind) for file, kind, _ in books[2]}


def test_each_file_has_its_outcome(folder):
    from clusterbook.jobs.validate import ValidateRequest, validate_paths

    result = validate_paths(ValidateRequest([folder]))
    outcomes = {item.file: str(item.outcome) for item in result.files}
    assert (outcomes["Kotal_KTL-002.xlsx"], outcomes["pipe.xlsx"], outcomes["inflated.xlsx"],
            outcomes["cut_off.xlsx"], outcomes["old.xls"], outcomes["far_cell.xlsx"]) == (
        "read", "refused", "refused", "unreadable", "not-a-form", "refused")
    assert "refused unopened" in result.summary()
