"""The Excel add-in page: what is set up for Excel, and setting it up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clusterbook.jobs.progress import Job, Progress

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
        """Register the ClusterBook add-in for this user."""
        return self._job("setup", "Setting up the Excel add-in", "Setting up Excel")

    def remove_job(self) -> Job:
        """Undo the set-up: the add-in leaves the user's list of Excel add-ins."""
        return self._job("remove", "Removing the Excel add-in set-up",
                         "Removing the Excel set-up")

    def _job(self, action: str, title: str, step: str) -> Job:
        """A job running ``clusterbook.excel.addin.<action>`` for the current user."""

        def work(progress: Progress) -> SetupReport | RemoveReport:
            from clusterbook.excel import addin

            progress(0, 1, step)
            report: SetupReport | RemoveReport = getattr(addin, action)(
                addin.UserFolders.of_current_user(), platform=self.platform)
            progress(1, 1, "Done")
            return report

        return Job(title, work)
