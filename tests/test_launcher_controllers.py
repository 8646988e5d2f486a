"""The launcher's logic, tested without Qt."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from clusterbook.domain.errors import InputError
from clusterbook.jobs.progress import Cancelled, CancelToken, Job
from clusterbook.launcher.controllers.flags import FlagsController
from clusterbook.launcher.settings import Settings


@pytest.fixture
def settings(tmp_path):
    return Settings.load(tmp_path / "config" / "launcher.json")


def test_controllers_do_not_import_qt():
    import ast
    from pathlib import Path

    import clusterbook.launcher as launcher

    folder = Path(launcher.__file__).parent
    for path in [*folder.glob("*.py"), *(folder / "controllers").glob("*.py")]:
        tree = ast.parse(path.read_text())
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
        names |= {node.module or "" for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom)}
        if path.name == "app.py":
            continue  # the entry point starts Qt
        assert not any(name.startswith("PySide6") for name in names), path


def test_flags_job_gives_the_engines_answer(settings, sample_round_csv, sample_region):
    from clusterbook import classify_clusters

    controller = FlagsController(settings)
    controller.choose_input(sample_round_csv)
    reports = []
    result = controller.job().run(lambda done, total, message: reports.append((done, total)))
    controller.accept(result)
    assert reports[-1] == (2, 2)
    expected = classify_clusters(sample_region.rounds)
    last = expected[expected["round"] == "R12"]
    table = controller.table()
    assert len(table) == 928
    listed = table[table["Status"] == "Low performing"]
    assert len(listed) == int((last["status"] == "Low performing").sum())
    assert listed["Priority"].tolist() == list(range(1, len(listed) + 1))
    assert "In R12:" in controller.headline()


def test_filters_summary_and_chart(settings, sample_round_csv):
    from clusterbook import classify_clusters

    controller = FlagsController(settings)
    controller.choose_input(sample_round_csv)
    controller.accept(controller.job().run())
    watch = controller.table(status="Watch")
    assert set(watch["Status"]) == {"Watch"}
    kotal = controller.table(text="kotal")
    assert set(kotal["District"]) == {"Kotal"}
    controller.shown_round = "R3"
    expected = classify_clusters(pd.read_csv(sample_round_csv))
    in_r3 = expected[expected["round"] == "R3"]
    assert (controller.table()["Status"] == "Low performing").sum() == (
        in_r3["status"] == "Low performing").sum()
    summary = controller.summary()
    assert summary.iloc[-1]["Province"] == "Region" and summary.iloc[-1]["Clusters"] == 928
    bars = dict(controller.listed_per_district())
    assert len(bars) == 24
    assert sum(bars.values()) == int((controller.table()["Status"] == "Low performing").sum())


def test_save_job_writes_a_book(settings, sample_round_csv, tmp_path):
    controller = FlagsController(settings)
    controller.choose_input(sample_round_csv)
    controller.accept(controller.job().run())
    out = controller.save_job(tmp_path / "out.xlsx").run()
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == [
        "Current", "Summary", "Rounds", "Flags", "About"]


def test_bad_choices_are_sentences(settings, tmp_path):
    controller = FlagsController(settings)
    with pytest.raises(InputError, match=r"'notes\.pdf' is not round data"):
        controller.choose_input(tmp_path / "notes.pdf")
    with pytest.raises(InputError, match="Choose a round data file first"):
        controller.job()
    bad = tmp_path / "bad.csv"
    bad.write_text("Cluster,Round\nC1,R1\n")
    controller.choose_input(bad)
    with pytest.raises(InputError, match=r"bad\.csv: the table has no"):
        controller.job().run()


def test_a_job_stops_when_cancelled():
    token = CancelToken()
    steps = []

    def work(progress):
        for step in range(100):
            progress(step, 100, "working")
            steps.append(step)
            if step == 3:
                token.cancel()

    with pytest.raises(Cancelled):
        Job("long", work).run(None, token)
    assert steps == [0, 1, 2, 3]


def test_settings_remember_folders_and_recent_files(tmp_path):
    path = tmp_path / "launcher.json"
    data = tmp_path / "data.csv"
    data.write_text("x")
    settings = Settings.load(path)
    settings.remember("flags", data)
    settings.window = [1000, 700]
    settings.save()
    again = Settings.load(path)
    assert again.folder("flags") == str(tmp_path)
    assert again.recent_files("flags") == [str(data)]
    assert again.window == [1000, 700]


def test_damaged_settings_are_set_aside(tmp_path):
    path = tmp_path / "launcher.json"
    path.write_text("{not json")
    settings = Settings.load(path)
    assert settings.folders == {}
    assert (tmp_path / "launcher.damaged.json").exists()


def test_excel_setup_on_a_windows_user_folder(tmp_path, monkeypatch):
    from clusterbook.launcher.controllers.addin import AddinController

    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "home" / "AppData" / "Roaming"))
    controller = AddinController(platform="windows")
    assert controller.can_set_up and not controller.status().ready
    report = controller.setup_job().run()
    assert "Registered the ClusterBook add-in" in report.text()
    assert (tmp_path / "home" / "AppData" / "Roaming" / "ClusterBook"
            / "ClusterBook.xlam").is_file()
    assert not (tmp_path / "home" / ".xlwings").exists()
    assert controller.status().ready


def test_excel_page_logic_says_what_is_unavailable_off_windows():
    from clusterbook.launcher.controllers.addin import AddinController

    controller = AddinController(platform="linux")
    assert not controller.can_set_up
    assert "need Excel on Windows" in controller.status().text()


@pytest.fixture(scope="module")
def district_submissions(tmp_path_factory):
    from clusterbook.sample.submissions import write_sample_submissions

    folder = tmp_path_factory.mktemp("submissions")
    write_sample_submissions(folder, district="Kotal", mistake_share=0.1)
    return folder


def test_validate_job_reports_each_file_and_finds_the_mistakes(settings, district_submissions):
    from clusterbook.jobs.validate import ValidateRequest, validate_paths
    from clusterbook.launcher.controllers.validate import ValidateController

    controller = ValidateController(settings)
    controller.add([district_submissions])
    heard = []
    controller.accept(controller.job().run(lambda done, total, message: heard.append(message)))
    files = sorted(p for p in district_submissions.rglob("*.xlsx"))
    assert sum(message.startswith("Reading ") for message in heard) == len(files)
    expected = validate_paths(ValidateRequest([district_submissions]))
    table = controller.table()
    assert len(table) == len(expected.findings) > 0
    assert table["Severity"].tolist() == sorted(table["Severity"].tolist(),
                                                key=lambda severity: severity != "error")
    errors = controller.table("error")
    assert set(errors["Severity"]) == {"error"}
    first = controller.place(0)
    assert first.path.parent == district_submissions or district_submissions in first.path.parents
    assert first.path.name == errors.iloc[0]["File"].split("/")[-1]


def test_validate_outputs_leave_the_originals_alone(settings, district_submissions, tmp_path):
    import hashlib

    from clusterbook.launcher.controllers.validate import ValidateController

    def fingerprints():
        return {path: hashlib.sha256(path.read_bytes()).hexdigest()
                for path in district_submissions.rglob("*.xlsx")
                if not path.stem.endswith(".checked")}

    before = fingerprints()
    controller = ValidateController(settings)
    controller.add([district_submissions])
    controller.accept(controller.job().run())
    out = controller.findings_job(tmp_path / "findings.xlsx").run()
    assert openpyxl.load_workbook(out).sheetnames
    lines = controller.write_back_job().run()
    assert any(line.startswith("Wrote ") for line in lines)
    assert fingerprints() == before


def test_validate_needs_inputs_that_exist(settings, tmp_path):
    from clusterbook.launcher.controllers.validate import ValidateController

    controller = ValidateController(settings)
    with pytest.raises(InputError, match="Add files or folders"):
        controller.job()
    with pytest.raises(InputError, match="does not exist"):
        controller.add([tmp_path / "nowhere"])


@pytest.fixture(scope="module")
def ccpm_responses(tmp_path_factory):
    from clusterbook.sample.ccpm import sample_survey

    path = tmp_path_factory.mktemp("ccpm") / "responses.csv"
    sample_survey("Health").answers.to_csv(path, index=False)
    return path


def test_ccpm_scores_are_the_domains(settings, ccpm_responses):
    from clusterbook.jobs.ccpm import ScoresRequest, run_scores
    from clusterbook.launcher.controllers.ccpm import CcpmController

    controller = CcpmController(settings)
    controller.add_responses([ccpm_responses])
    controller.accept(controller.score_job().run())
    shown = controller.scores()
    assert shown["Function"].tolist()[:3] == ["1", "1.1", "1.2"] and len(shown) == 17
    expected = run_scores(ScoresRequest([ccpm_responses], settings.path.parent / "scores.csv"))
    written = pd.read_csv(expected.out, dtype={"function": str})
    assert shown["Status"].tolist() == written["status"].tolist()
    assert "respondents" in controller.headline()


def test_ccpm_report_check_and_overview(settings, ccpm_responses, tmp_path):
    from clusterbook.launcher.controllers.ccpm import CcpmController

    controller = CcpmController(settings)
    controller.add_responses([ccpm_responses])
    first = controller.report_job(tmp_path / "health.xlsx").run()
    second = controller.report_job(tmp_path / "health-again.xlsx").run()
    assert first.out.exists() and second.out.exists()
    checked = controller.check_job(first.out).run()
    assert "Annex I" in checked.report()
    overview = controller.overview_job([first.out, second.out], tmp_path / "overview.xlsx").run()
    assert openpyxl.load_workbook(overview.out).sheetnames


def test_ccpm_refuses_what_is_not_a_survey(settings, tmp_path):
    from clusterbook.launcher.controllers.ccpm import CcpmController

    controller = CcpmController(settings)
    with pytest.raises(InputError, match="not a survey export"):
        controller.add_responses([tmp_path / "notes.docx"])
    with pytest.raises(InputError, match="Add the survey responses first"):
        controller.score_job()


def test_templates_are_saved_as_the_built_files(settings, tmp_path):
    from clusterbook.launcher.controllers.templates import TemplatesController
    from clusterbook.templates.catalog import template_path

    controller = TemplatesController(settings)
    names = [choice.name for choice in controller.available()]
    assert "cesm-microplan" in names
    folder = tmp_path / "mine"
    (folder).mkdir()
    (folder / "cesm-microplan.xlsx").write_bytes(b"my own older copy")
    written = controller.save_job(folder).run()
    assert [path.name for path in written] == [f"{name}.xlsx" for name in names]
    for path in written:
        assert path.read_bytes() == template_path(path.stem).read_bytes()
    assert (folder / "cesm-microplan (old).xlsx").read_bytes() == b"my own older copy"
    with pytest.raises(InputError, match="Tick at least one template"):
        controller.save_job(folder, [])


def test_databook_from_the_flags_page_is_the_command_s_book(settings, sample_round_csv, tmp_path):
    from clusterbook.cli import main
    from clusterbook.excel.read import open_workbook, read_sheet

    controller = FlagsController(settings)
    controller.choose_input(sample_round_csv)
    out = controller.databook_job(tmp_path / "book.xlsx").run()
    assert main(["databook", str(sample_round_csv), "--out", str(tmp_path / "cli.xlsx")]) == 0
    ours, theirs = open_workbook(out), open_workbook(tmp_path / "cli.xlsx")
    for sheet in ("PCA", "Refusals", "Clusters"):
        assert read_sheet(ours, sheet).rows == read_sheet(theirs, sheet).rows
    controller.benchmark = "weighted"
    with pytest.raises(InputError, match="regional mean or a fixed benchmark"):
        controller.databook_job(tmp_path / "weighted.xlsx")


def test_excel_remove_undoes_the_setup(tmp_path, monkeypatch):
    from clusterbook.launcher.controllers.addin import AddinController

    home = tmp_path / "home"
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("APPDATA", str(home / "AppData" / "Roaming"))
    controller = AddinController(platform="windows")
    controller.setup_job().run()
    assert controller.status().ready
    controller.remove_job().run()
    assert not controller.status().ready
    assert not (home / "AppData" / "Roaming" / "ClusterBook" / "ClusterBook.xlam").exists()


def test_ccpm_scores_csv(settings, ccpm_responses, tmp_path):
    from clusterbook.launcher.controllers.ccpm import CcpmController

    controller = CcpmController(settings)
    controller.add_responses([ccpm_responses])
    result = controller.scores_job(tmp_path / "scores.csv").run()
    table = pd.read_csv(result.out, dtype={"function": str})
    assert list(table.columns) == ["function", "score", "status", "respondents"]
    assert len(table) == 17


def test_demo_job_runs_the_demo_steps_with_progress(settings, tmp_path, monkeypatch):
    from clusterbook.jobs import demo
    from clusterbook.launcher.controllers.demo import DemoController

    monkeypatch.setattr(demo, "STEPS", demo.STEPS[:2])
    heard = []
    artifacts = DemoController(settings).job(tmp_path / "demo").run(
        lambda done, total, message: heard.append((done, total, message)))
    assert heard[0] == (0, 2, demo.STEPS[0][0]) and heard[-1] == (2, 2, "Done")
    assert all(artifact.path.exists() for artifact in artifacts)
    # Again into its own folder: fine. Into a folder of the user's: refused before it starts.
    again = DemoController(settings).job(tmp_path / "demo").run(lambda *_: None)
    assert [a.path for a in again] == [a.path for a in artifacts]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "round_data.csv").write_text("my own data", encoding="utf-8")
    from clusterbook.outputs import UsageError

    with pytest.raises(UsageError, match="already holds other files"):
        DemoController(settings).job(mine)
    assert [p.name for p in mine.iterdir()] == ["round_data.csv"]
    assert (mine / "round_data.csv").read_text(encoding="utf-8") == "my own data"


def test_merge_job_writes_the_review_book_and_feedback(settings, district_submissions, tmp_path):
    import shutil

    from clusterbook.launcher.controllers.merge import MergeController

    folder = tmp_path / "submissions"
    shutil.copytree(district_submissions, folder)
    controller = MergeController(settings)
    controller.choose_folder(folder)
    assert controller.out == tmp_path / "review-book.xlsx"
    heard = []
    controller.accept(controller.job().run(lambda done, total, message: heard.append(message)))
    assert controller.out.is_file() and heard
    assert "Merged" in controller.summary_text()
    districts = controller.districts()
    assert districts is not None and "Kotal" in set(districts["District"])
    books = controller.feedback_job(tmp_path / "feedback").run()
    assert books and all(book.suffix == ".xlsx" for book in books)


def test_a_cancelled_merge_writes_nothing(settings, district_submissions, tmp_path):
    import shutil

    from clusterbook.launcher.controllers.merge import MergeController

    folder = tmp_path / "submissions"
    shutil.copytree(district_submissions, folder)
    controller = MergeController(settings)
    controller.choose_folder(folder)
    token = CancelToken()

    def stop_at_first_report(done, total, message):
        token.cancel()

    with pytest.raises(Cancelled):
        controller.job().run(stop_at_first_report, token)
    assert not controller.out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["submissions"]


def test_merge_needs_a_folder(settings, tmp_path):
    from clusterbook.launcher.controllers.merge import MergeController

    controller = MergeController(settings)
    with pytest.raises(InputError, match="Choose the folder of submissions first"):
        controller.job()
    with pytest.raises(InputError, match="is not a folder"):
        controller.choose_folder(tmp_path / "missing")


def test_a_merge_with_nothing_new_still_shows_the_books_summary(settings, district_submissions,
                                                                tmp_path):
    import shutil

    from clusterbook.launcher.controllers.merge import MergeController

    folder = tmp_path / "submissions"
    shutil.copytree(district_submissions, folder)
    controller = MergeController(settings)
    controller.choose_folder(folder)
    controller.accept(controller.job().run())
    first = controller.districts()
    written = controller.out.stat().st_mtime_ns
    controller.accept(controller.job().run())
    assert controller.result.up_to_date and controller.out.stat().st_mtime_ns == written
    pd.testing.assert_frame_equal(controller.districts(), first)


def test_an_unknown_level_is_refused_before_the_merge_starts(settings, tmp_path):
    from clusterbook.domain.errors import InputError
    from clusterbook.jobs.merge import MergeRequest, merge_folder
    from clusterbook.launcher.controllers.merge import MergeController

    controller = MergeController(settings)
    controller.choose_folder(tmp_path)
    controller.level = "district"
    expected = "The level must be 'region' or 'province', not 'district'"
    with pytest.raises(InputError, match=expected):
        controller.job()
    # The command line and the button meet the same sentence from the job itself.
    with pytest.raises(InputError, match=expected):
        merge_folder(MergeRequest(tmp_path, tmp_path / "book.xlsx", level="district"))
    assert not (tmp_path / "book.xlsx").exists()
