"""`clusterbook templates`: build the standard templates, save the shipped ones, or list them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "templates", help="write the standard Excel templates (microplan, action plan, "
                          "campaign data book)",
        description="Write every standard template, built from the form descriptions, or "
                    "list them.")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="write every template into a folder",
                               description="Write every standard template into a folder.")
    build.add_argument("--out", type=Path, default=Path("workbooks"), metavar="DIR",
                       help="folder to write into (default: ./workbooks); a file already "
                            "there is kept as 'NAME (old).xlsx'")
    build.set_defaults(run=run_build)
    save = actions.add_parser(
        "save", help="copy the blank templates shipped with ClusterBook into a folder",
        description="Copy the blank templates shipped with ClusterBook into a folder (each is "
                    "built afresh only when its file is missing). Quicker than 'build'.")
    save.add_argument("--out", type=Path, required=True, metavar="DIR",
                      help="folder to write into; a file already there (a filled microplan "
                           "too) is kept as 'NAME (old).xlsx'")
    save.set_defaults(run=run_save)
    listing = actions.add_parser("list", help="list the templates and where each is",
                                 description="List the standard templates.")
    listing.set_defaults(run=run_list)


def run_build(args: argparse.Namespace) -> int:
    from clusterbook.templates import TEMPLATES

    return _write_each(args.out, [(item, item.build) for item in TEMPLATES])


def run_save(args: argparse.Namespace) -> int:
    from clusterbook.templates import TEMPLATES, save_template

    return _write_each(args.out, [(item, lambda path, name=item.name: save_template(name, path))
                                  for item in TEMPLATES])


def _write_each(folder: Path, jobs: list[tuple[Any, Callable[[Path], Path]]]) -> int:
    """Write each template into ``folder``; a file already there (a filled microplan too)
    is kept as 'NAME (old).xlsx' first."""
    from clusterbook.outputs import drop_old_if_same, output_file, output_folder

    output_folder(folder)
    for item, write in jobs:
        old = output_file(folder / item.file_name, writes=item.name)
        path = write(folder / item.file_name)
        old = drop_old_if_same(old, path)
        kept = f"; the earlier file is kept as {old.name}" if old else ""
        print(f"Wrote {path}  ({item.description}{kept})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from clusterbook.domain.errors import InputError
    from clusterbook.templates import TEMPLATES, template_path

    for item in TEMPLATES:
        try:
            where = str(template_path(item.name))
        except InputError:
            where = "not built"
        print(f"{item.name:<20} {item.description}\n{'':<20} {where}")
    return 0
