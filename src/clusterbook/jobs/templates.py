"""The templates job: the blank standard templates written into a folder. The CLI and the
launcher call :func:`write_templates`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clusterbook.jobs.progress import Progress, unheard


@dataclass(frozen=True)
class TemplatesRequest:
    """Write blank templates into ``folder``: copies of the ones shipped with ClusterBook
    (each built afresh when its file is missing), or, with ``build``, every one built from
    the forms. A file already there (a filled microplan too) is kept as 'NAME (old).xlsx'."""

    folder: Path
    #: The templates' names (None: every standard template, in the catalog's order).
    names: Sequence[str] | None = None
    build: bool = False


@dataclass(frozen=True)
class WrittenTemplate:
    """A template written, what it is, and the earlier file kept as '(old)' (None when there
    was none, or it held the same)."""

    path: Path
    description: str
    kept: Path | None = None


@dataclass(frozen=True)
class TemplatesResult:
    """The templates written, in order."""

    written: list[WrittenTemplate]

    @property
    def paths(self) -> list[Path]:
        return [item.path for item in self.written]


def write_templates(request: TemplatesRequest, progress: Progress | None = None
                    ) -> TemplatesResult:
    """Write the templates of the request."""
    from clusterbook.outputs import drop_old_if_same, output_file, output_folder
    from clusterbook.templates.catalog import TEMPLATES, save_template, template

    report = progress or unheard
    folder = output_folder(Path(request.folder))
    items = list(TEMPLATES) if request.names is None else [template(name)
                                                           for name in request.names]
    written = []
    for done, item in enumerate(items):
        report(done, len(items), f"Saving {item.file_name}")
        target = folder / item.file_name
        old = output_file(target, writes=item.name)  # kept as '(old)'
        path = item.build(target) if request.build else save_template(item.name, target)
        written.append(WrittenTemplate(path, item.description, drop_old_if_same(old, path)))
    report(len(items), len(items), "Done")
    return TemplatesResult(written)
