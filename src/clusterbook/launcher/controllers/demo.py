"""The Sample region page: every job run on the built-in synthetic region."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clusterbook.jobs.progress import Job, Progress
from clusterbook.launcher.settings import Settings

if TYPE_CHECKING:
    from clusterbook.jobs.demo import Artifact

PAGE = "sample"


@dataclass
class DemoController:
    settings: Settings

    def notice(self) -> str:
        from clusterbook.sample.notice import NOTICE

        return NOTICE

    def job(self, folder: Path | str) -> Job:
        """Write every demo file into ``folder``, step by step."""
        from clusterbook.jobs.demo import JOB
        from clusterbook.outputs import check_own_folder

        folder = Path(folder)
        check_own_folder(folder, job=JOB)  # refused before the job starts
        self.settings.remember(PAGE, folder)

        def work(progress: Progress) -> list[Artifact]:
            from clusterbook.jobs.demo import DemoRequest, run_demo

            return run_demo(DemoRequest(folder), progress).artifacts

        return Job(f"Writing the demo into {folder}", work)
