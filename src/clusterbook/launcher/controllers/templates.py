"""The Templates page: save blank standard templates where the user wants them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clusterbook.domain.errors import InputError
from clusterbook.jobs.progress import Job, Progress
from clusterbook.launcher.settings import Settings

PAGE = "templates"


@dataclass(frozen=True)
class TemplateChoice:
    name: str
    file_name: str
    description: str


@dataclass
class TemplatesController:
    """State and jobs of the Templates page."""

    settings: Settings
    chosen: set[str] = field(default_factory=set)

    def available(self) -> list[TemplateChoice]:
        """Every standard template, in the catalog's order."""
        from clusterbook.templates.catalog import TEMPLATES

        return [TemplateChoice(item.name, item.file_name, item.description)
                for item in TEMPLATES]

    def save_job(self, folder: Path | str, names: list[str] | None = None) -> Job:
        """Copy the chosen blank templates into ``folder`` (built afresh when a built file is
        missing). Existing files of the same name are kept as '<name> (old).xlsx' (or
        '(old 2)', ...)."""
        folder = Path(folder)
        names = names if names is not None else [item.name for item in self.available()]
        if not names:
            raise InputError("tick at least one template")
        self.settings.remember(PAGE, folder)

        def work(progress: Progress) -> list[Path]:
            from clusterbook.jobs.templates import TemplatesRequest, write_templates

            return write_templates(TemplatesRequest(folder, names), progress).paths

        return Job(f"Saving templates to {folder}", work)
