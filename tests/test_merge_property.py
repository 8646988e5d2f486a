"""Random sequences of new, replaced and removed submissions, reviewers typing in the Feedback
sheet, and merges: after every merge each present cluster's newest submission is current with
all its rows once, every other file is listed as superseded, and no reviewer's note is lost."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from clusterbook.excel.write import set_cell
from clusterbook.jobs.merge import MergeRequest, merge_folder
from merging import cluster_csv, put_plan, table

# Few clusters and versions, so that resent, replaced and identical files meet often.
CODES = ("KTL-001", "NHR-001")
VERSIONS = st.integers(min_value=0, max_value=2)  # days the sign-off comes after the first
TEAM_ROWS = 4  # every sample microplan has four team members
COMMENTS = st.text(alphabet="abc =+-@éد ", min_size=1, max_size=12).map(str.strip).filter(
    bool)


class MergeMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="merge-machine-"))
        self.folder = self.root / "submissions"
        self.folder.mkdir()
        self.clusters = cluster_csv(self.root)
        self.out = self.root / "review" / "review.xlsx"
        self.files: dict[str, tuple[str, int, int]] = {}  # name -> code, version, hour
        self.recorded: dict[str, tuple[int, int]] = {}  # name -> version, received hour
        self.hour = 0
        self.notes: dict[str, tuple[str, str]] = {}  # code -> status, comment
        self.merged = False

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _put(self, name: str, code: str, version: int) -> None:
        self.hour += 1
        put_plan(self.folder, name, code, self.hour, days_later=version)
        self.files[name] = (code, version, self.hour)

    @rule(code=st.sampled_from(CODES), version=VERSIONS,
          style=st.sampled_from(["{code}.xlsx", "sent/{code} ({n}).xlsx"]))
    def send(self, code: str, version: int, style: str) -> None:
        name = style.format(code=code, n=self.hour)
        if name not in self.files:
            self._put(name, code, version)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def send_a_copy(self, data: st.DataObject) -> None:
        """The same file again under the name Windows gives a copy."""
        name = data.draw(st.sampled_from(sorted(self.files)))
        copy = str(Path(name).with_name(f"Copy of {Path(name).name}"))
        if copy not in self.files:
            self._put(copy, *self.files[name][:2])

    @precondition(lambda self: self.files)
    @rule(data=st.data(), version=VERSIONS)
    def resend_over(self, data: st.DataObject, version: int) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        self._put(name, self.files[name][0], version)

    @precondition(lambda self: self.files)
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.files)))
        (self.folder / name).unlink()
        del self.files[name]

    @precondition(lambda self: self.merged)
    @rule(code=st.sampled_from(CODES), status=st.sampled_from(["Accepted", "Returned"]),
          comment=COMMENTS)
    def review(self, code: str, status: str, comment: str) -> None:
        book = openpyxl.load_workbook(self.out)
        sheet = book["Feedback"]
        [row] = [r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 3).value == code]
        set_cell(sheet.cell(row, 5), status)
        set_cell(sheet.cell(row, 6), comment)  # typed as text, as Excel keeps a comment
        book.save(self.out)
        self.notes[code] = (status, comment)

    @rule()
    def merge(self) -> None:
        merge_folder(MergeRequest(self.folder, self.out, clusters=self.clusters))
        self.merged = True
        self.recorded = {name: (version, self.received(name))
                         for name, (_, version, _) in self.files.items()}
        self.check()

    def received(self, name: str) -> int:
        """When the ledger says a file came: when first seen with its present content."""
        _, version, hour = self.files[name]
        seen = self.recorded.get(name)
        return seen[1] if seen is not None and seen[0] == version else hour

    def expected_current(self) -> dict[str, str]:
        """Per cluster: the newest version; of identical copies, the one received first
        (then the shorter name)."""
        best: dict[str, tuple[tuple[int, int, int, str], str]] = {}
        for name, (code, version, _) in self.files.items():
            shown = Path(name).name
            # Smallest wins: the newest version, received first, the shorter name.
            key = (-version, self.received(name), len(shown), shown.casefold())
            if code not in best or key < best[code][0]:
                best[code] = (key, shown)
        return {code: shown for code, (_, shown) in best.items()}

    def check(self) -> None:
        current = self.expected_current()
        identification = table(self.out, "1 Identification")
        assert sorted((r["Cluster code"], r["Source file"]) for r in identification) == sorted(
            current.items())
        team = table(self.out, "2 Team")
        assert Counter(r["Source file"] for r in team) == {name: TEAM_ROWS
                                                          for name in current.values()}
        for sheet in ("1 Identification", "2 Team", "5 Activities", "Sign-off"):
            origins = [(r["Source file"], r["Sheet"], r["Row"]) for r in table(self.out, sheet)]
            assert len(origins) == len(set(origins)), f"a row twice on {sheet}"
        listed = Counter(r["Source file"] for r in table(self.out, "Superseded"))
        others = Counter(Path(name).name for name in self.files) - Counter(current.values())
        assert listed == others
        feedback = {r["Cluster code"]: r for r in table(self.out, "Feedback")}
        for code, (status, comment) in self.notes.items():
            assert (feedback[code]["Review status"], feedback[code]["Reviewer comment"]) == (
                status, comment)


MergeMachine.TestCase.settings = settings(max_examples=16, stateful_step_count=12,
                                          deadline=None)
TestMergeSequences = MergeMachine.TestCase
