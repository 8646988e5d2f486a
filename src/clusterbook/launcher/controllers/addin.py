"""The Excel add-in page: what is set up for Excel, and setting it up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clusterbook.launcher.jobs import Job, Progress

if TYPE_CHECKING:
    from clusterbook.excel.addin import ExcelStatus, RemoveReport, SetupReport

PAGE = "excel"


@dataclass
class AddinController:
    """State and jobs of the Excel add-in page."""

    platform: str | None = None  # None: this computer

    def status(self) -> ExcelStatus:
        from clusterbook.excel.addin import status

        return status(platform=self.platform)

    @property
    def can_set_up(self) -> bool:
        """Worksheet functions exist only in Excel on Windows."""
        return self.status().worksheet_functions

    def setup_job(self) -> Job:
        """Install the add-in for this user and write the xlwings settings."""

        def work(progress: Progress) -> SetupReport:
            from clusterbook.excel.addin import UserFolders, setup

            progress(0, 1, "Setting up Excel")
            report = setup(UserFolders.of_current_user(), platform=self.platform)
            progress(1, 1, "Done")
            return report

        return Job("Setting up the Excel add-in", work)

    def remove_job(self) -> Job:
        """Undo the set-up: ClusterBook's settings and the add-in it installed."""

        def work(progress: Progress) -> RemoveReport:
            from clusterbook.excel.addin import UserFolders, remove

            progress(0, 1, "Removing the Excel set-up")
            report = remove(UserFolders.of_current_user(), platform=self.platform)
            progress(1, 1, "Done")
            return report

        return Job("Removing the Excel add-in set-up", work)
