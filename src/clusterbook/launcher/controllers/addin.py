"""The Excel add-in page: what is set up for Excel, and setting it up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clusterbook.jobs.progress import Job

if TYPE_CHECKING:
    from clusterbook.excel.addin import ExcelStatus

PAGE = "excel"


@dataclass
class AddinController:
    """State and jobs of the Excel add-in page."""

    platform: str | None = None  # None: this computer

    def status(self) -> ExcelStatus:
        from clusterbook.jobs.excel import excel_status

        return excel_status(platform=self.platform)

    @property
    def can_set_up(self) -> bool:
        """Worksheet functions exist only in Excel on Windows."""
        return self.status().worksheet_functions

    def setup_job(self) -> Job:
        """Register the ClusterBook add-in for this user."""
        from clusterbook.jobs.excel import ExcelSetupRequest, set_up_excel

        request = ExcelSetupRequest(platform=self.platform)
        return Job("Setting up the Excel add-in", lambda progress: set_up_excel(request, progress))

    def remove_job(self) -> Job:
        """Undo the set-up: the add-in leaves the user's list of Excel add-ins."""
        from clusterbook.jobs.excel import ExcelSetupRequest, remove_excel_setup

        request = ExcelSetupRequest(platform=self.platform)
        return Job("Removing the Excel add-in set-up",
                   lambda progress: remove_excel_setup(request, progress))
