"""`clusterbook templates`: build the standard templates, save the shipped ones, or list them."""

from __future__ import annotations

import argparse
from pathlib import Path


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
    return _write(args.out, build=True)


def run_save(args: argparse.Namespace) -> int:
    return _write(args.out, build=False)


def _write(folder: Path, *, build: bool) -> int:
    from clusterbook.jobs.templates import TemplatesRequest, write_templates

    result = write_templates(TemplatesRequest(folder, build=build))
    for item in result.written:
        kept = f"; the earlier file is kept as {item.kept.name}" if item.kept else ""
        print(f"Wrote {item.path}  ({item.description}{kept})")
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
