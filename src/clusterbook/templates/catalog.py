"""The standard templates: which exist, how each is built, and where the built files live.

Built templates are kept in the repository's ``workbooks/`` folder and packaged inside the
installed ``clusterbook`` package (``clusterbook/workbooks``), so they are found either way.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clusterbook.domain.errors import InputError
from clusterbook.forms import ACTION_PLAN, MICROPLAN, Form
from clusterbook.forms.databook import DATABOOK

WORKBOOKS_FOLDER = "workbooks"


@dataclass(frozen=True)
class Template:
    """One standard workbook: its file name, what it is, and how to build it."""

    name: str  # the template's id, also its file stem
    description: str
    build: Callable[[Path], Path]

    @property
    def file_name(self) -> str:
        return f"{self.name}.xlsx"


def _form_template(form: Form, description: str) -> Template:
    def build(path: Path) -> Path:
        from clusterbook.templates.form_book import write_form

        return write_form(path, form)

    return Template(form.form_id, description, build)


def _databook(path: Path) -> Path:
    from clusterbook.templates.databook import write_databook

    return write_databook(path)


def _ccpm(path: Path) -> Path:
    from clusterbook.forms.ccpm import CCPM, default_ccpm_data
    from clusterbook.templates.form_book import write_form

    return write_form(path, CCPM, default_ccpm_data())


TEMPLATES: tuple[Template, ...] = (
    _form_template(MICROPLAN, "CE&SM cluster microplan (one per cluster)"),
    _form_template(ACTION_PLAN, "low-performing cluster action plan (Pull / Push)"),
    Template("ccpm", "CCPM self-assessment: question bank, scales, responses, cluster "
                     "description, participants", _ccpm),
    Template(DATABOOK.form_id, "campaign data book: clusters, PCA and refusals in, "
                               "low-performing flags out by native formulas", _databook),
)


def template(name: str) -> Template:
    """A template by its id."""
    for item in TEMPLATES:
        if item.name == name:
            return item
    known = ", ".join(item.name for item in TEMPLATES)
    raise InputError(f"there is no template '{name}' (templates: {known})")


def build_templates(out: Path | str) -> list[Path]:
    """Write every template into the folder ``out``; returns the paths written."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    return [item.build(folder / item.file_name) for item in TEMPLATES]


def workbooks_folders() -> list[Path]:
    """Where built templates are looked for: inside the installed package, then the
    repository's ``workbooks/`` folder (when running from a checkout)."""
    package = Path(__file__).resolve().parent.parent
    return [package / WORKBOOKS_FOLDER, package.parent.parent / WORKBOOKS_FOLDER]


def template_path(name: str) -> Path:
    """The built file of a template, installed or in the repository."""
    file_name = template(name).file_name
    for folder in workbooks_folders():
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    raise InputError(f"the template file {file_name} is missing; run "
                     f"'clusterbook templates build' to write it")


def save_template(name: str, target: Path | str) -> Path:
    """Write the blank template ``name`` to ``target``: a copy of the built file shipped with
    ClusterBook (quick, and needs no pandas), or built afresh when that file is missing."""
    from clusterbook.excel.write import atomic_path

    target = Path(target)
    try:
        source = template_path(name)
    except InputError:
        return template(name).build(target)
    with atomic_path(target) as temporary:
        shutil.copyfile(source, temporary)
    return target
