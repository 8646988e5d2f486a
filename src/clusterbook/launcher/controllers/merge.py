"""The Merge page: a folder of district submissions in, the review book out, and feedback
books back to the provinces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clusterbook.domain.errors import InputError
from clusterbook.domain.levels import Level, level_of
from clusterbook.jobs.progress import Job, Progress
from clusterbook.launcher.settings import Settings
from clusterbook.outputs import output_folder

if TYPE_CHECKING:
    import pandas as pd

    from clusterbook.jobs.merge import MergeResult

PAGE = "merge"


@dataclass
class MergeController:
    """State and jobs of the Merge page."""

    settings: Settings
    folder: Path | None = None
    out: Path | None = None
    clusters: Path | None = None
    level: str = Level.REGION
    result: MergeResult | None = None

    def choose_folder(self, folder: Path) -> None:
        """The folder of submissions (searched with its sub-folders)."""
        if not folder.is_dir():
            raise InputError(f"'{folder}' is not a folder: choose the folder that holds the "
                             f"submitted workbooks")
        self.folder = folder
        self.settings.remember(PAGE, folder)
        if self.out is None:
            self.out = folder.parent / "review-book.xlsx"

    def choose_out(self, out: Path) -> None:
        if out.suffix.lower() != ".xlsx":
            raise InputError(f"the review book is an .xlsx file, not '{out.name}'")
        self.out = out
        self.settings.remember(PAGE + "-out", out)

    def choose_clusters(self, path: Path | None) -> None:
        if path is not None and not path.is_file():
            raise InputError(f"'{path}' does not exist")
        self.clusters = path

    def job(self) -> Job:
        """Merge the folder into the review book (the reviewers' feedback is kept)."""
        if self.folder is None:
            raise InputError("choose the folder of submissions first")
        if self.out is None:
            raise InputError("choose where the review book goes")
        level_of(self.level)
        folder, out, clusters, level = self.folder, self.out, self.clusters, self.level

        def work(progress: Progress) -> MergeResult:
            from clusterbook.jobs.merge import MergeRequest, merge_folder

            return merge_folder(MergeRequest(folder, out, clusters, level), progress)

        return Job(f"Merging {folder.name} into {out.name}", work)

    @staticmethod
    def fresh_demo_book(folder: Path) -> Path:
        """The demo's review book in the demo's own folder, with what an earlier demo left
        (book, ledger, backups) removed: the page then shows this merge, never an old one's
        'up to date'."""
        from clusterbook.jobs.merge import forget_review_book

        book = folder / "review-book.xlsx"
        forget_review_book(book)
        return book

    def feedback_job(self, out_dir: Path | str) -> Job:
        """One feedback book per province from the review book."""
        if self.out is None or not self.out.is_file():
            raise InputError("merge first: there is no review book yet")
        review_book, out_dir = self.out, output_folder(Path(out_dir), inputs=[self.out])

        def work(progress: Progress) -> list[Path]:
            from clusterbook.jobs.feedback import FeedbackRequest, write_feedback_books

            return write_feedback_books(FeedbackRequest(review_book, out_dir), progress).books

        return Job("Writing feedback books for the provinces", work)

    def accept(self, result: MergeResult) -> None:
        self.result = result

    def summary_text(self) -> str:
        if self.result is None:
            return ("Choose the folder of submissions and where the review book goes, then "
                    "Merge. Reviewers' feedback in an existing book is always kept.")
        return self.result.summary()

    def districts(self) -> pd.DataFrame | None:
        """Received, valid and missing submissions per district, when the merge made a book."""
        if self.result is None or self.result.review is None:
            return None
        table = self.result.review.districts
        return table.rename(columns=lambda name: str(name).replace("_", " ").capitalize())

    def received_per_district(self) -> list[tuple[str, float]]:
        table = self.districts()
        if table is None or "District" not in table or "Received" not in table:
            return []
        return [(str(district), float(received)) for district, received in
                zip(table["District"], table["Received"], strict=True)]
