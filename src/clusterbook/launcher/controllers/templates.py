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
            from clusterbook.outputs import drop_old_if_same, output_file
            from clusterbook.templates.catalog import save_template, template

            folder.mkdir(parents=True, exist_ok=True)
            written = []
            for done, name in enumerate(names):
                item = template(name)
                progress(done, len(names), f"Saving {item.file_name}")
                target = folder / item.file_name
                old = output_file(target, writes=item.name)  # kept as '(old)'
                written.append(save_template(name, target))
                drop_old_if_same(old, target)
            progress(len(names), len(names), "Done")
            return written

        return Job(f"Saving templates to {folder}", work)
