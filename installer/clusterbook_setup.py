"""Sets ClusterBook up for the current Windows user, and takes it away again.

The installer copies this script next to ClusterBook's own Python and runs it with that
Python after the files are in place::

    python.exe clusterbook_setup.py install --documents "C:/Users/ana/Documents"
    python.exe clusterbook_setup.py uninstall

``install`` compiles the bundled libraries (Excel starts its formulas faster), registers the
ClusterBook add-in beside this script in the user's Excel add-ins (``clusterbook excel setup``;
the user's own xlwings add-in and ``xlwings.conf`` are not touched), and puts the blank
templates in ``Documents/ClusterBook templates``. A template the user has changed is
never overwritten or deleted: the record of what was installed keeps each file's sha256, and
only files that still match it are replaced or removed. ``uninstall`` undoes the rest
(``clusterbook excel remove``).

Standard library only; every step is written to ``setup.log`` beside this script.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORD_NAME = "install-record.json"
LOG_NAME = "setup.log"
ADDIN_NAME = "ClusterBook.xlam"
TEMPLATES_FOLDER = "ClusterBook templates"
#: argparse exits with 2 and says "invalid choice" for a subcommand this version lacks.
USAGE_ERROR = 2


class Log:
    """Each line goes to the installer's details window (stdout) and to ``setup.log``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, text: str) -> None:
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        print(text, flush=True)
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(f"{stamp}  {text}\n")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clusterbook(arguments: Sequence[str], log: Log) -> str:
    """Run ``python -m clusterbook ...``: "done", "unavailable" (older ClusterBook) or "failed"."""
    command = [sys.executable, "-m", "clusterbook", *arguments]
    result = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace",
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
    said = (result.stdout + result.stderr).strip()
    if result.returncode == 0:
        if said:
            log(said)
        return "done"
    if result.returncode == USAGE_ERROR and "invalid choice" in said:
        log(f"'clusterbook {' '.join(arguments[:2])}' is not part of this version: skipped.")
        return "unavailable"
    log(f"'clusterbook {' '.join(arguments)}' failed (exit code {result.returncode}):\n{said}")
    return "failed"


def read_record(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def write_record(path: Path, record: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(temporary, path)


def place_templates(documents: Path, previous: dict, log: Log) -> tuple[str, dict]:
    """Build the blank templates and copy them into Documents without losing any edit.

    ``previous`` is the templates part of the last install's record (empty on a first
    install); the returned record still lists earlier blank files that are untouched, so an
    uninstall removes them too.
    """
    folder = documents / TEMPLATES_FOLDER
    installed: dict[str, str] = dict(previous.get("files", {}))
    record = {"folder": str(folder), "files": installed,
              "created_folder": bool(previous.get("created_folder"))}
    with tempfile.TemporaryDirectory(prefix="clusterbook-templates-") as scratch:
        status = clusterbook(["templates", "save", "--out", scratch], log)
        if status != "done":
            return status, record
        for source in sorted(Path(scratch).rglob("*")):
            if not source.is_file():
                continue
            destination = folder / source.relative_to(scratch)
            key = str(destination)
            if destination.exists() and sha256_of(destination) != installed.get(key):
                log(f"Kept your own {destination} (it differs from the blank one); "
                    f"the new blank is not copied over it.")
                installed.pop(key, None)
                continue
            if not folder.exists():
                record["created_folder"] = True
            destination.parent.mkdir(parents=True, exist_ok=True)
            partial = destination.with_name(destination.name + ".partial")
            shutil.copyfile(source, partial)
            os.replace(partial, destination)
            installed[key] = sha256_of(destination)
            log(f"Blank template: {destination}")
    return "done", record


def remove_templates(templates: dict, log: Log) -> None:
    """Delete the blank templates still as installed; keep every file the user changed."""
    for name, digest in templates.get("files", {}).items():
        path = Path(name)
        if not path.exists():
            continue
        if sha256_of(path) == digest:
            path.unlink()
            log(f"Removed blank template {path}")
        else:
            log(f"Kept {path}: it was changed after installation.")
    folder = templates.get("folder")
    if folder and templates.get("created_folder"):
        for directory in [*sorted(Path(folder).rglob("*"), reverse=True), Path(folder)]:
            if directory.is_dir() and not any(directory.iterdir()):
                directory.rmdir()


def install(args: argparse.Namespace, log: Log) -> int:
    record_path: Path = args.record
    previous = read_record(record_path)
    record: dict = {"python": sys.executable, "steps": {}}
    if args.compile:
        site_packages = Path(sys.prefix) / "Lib" / "site-packages"
        ok = compileall.compile_dir(site_packages, quiet=1, workers=1)
        record["steps"]["compile"] = "done" if ok else "failed"
        log("Compiled the bundled libraries." if ok else "Some libraries did not compile.")
    record["steps"]["excel"] = clusterbook(
        ["excel", "setup", "--addin", str(HERE / ADDIN_NAME), "--quiet"], log)
    status, templates = place_templates(args.documents, previous.get("templates", {}), log)
    record["steps"]["templates"] = status
    record["templates"] = templates
    write_record(record_path, record)
    failed = [step for step, status in record["steps"].items() if status == "failed"]
    if failed:
        log(f"Not finished: {', '.join(failed)}. Details are in {args.log}.")
        return 1
    log("ClusterBook is set up for this user.")
    return 0


def uninstall(args: argparse.Namespace, log: Log) -> int:
    record = read_record(args.record)
    excel = clusterbook(["excel", "remove", "--quiet"], log)
    remove_templates(record.get("templates", {}), log)
    return 1 if excel == "failed" else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--record", type=Path, default=HERE / RECORD_NAME)
    parser.add_argument("--log", type=Path, default=HERE / LOG_NAME)
    steps = parser.add_subparsers(dest="step", required=True)
    install_parser = steps.add_parser("install")
    install_parser.add_argument("--documents", type=Path, required=True,
                                help="the user's Documents folder")
    install_parser.add_argument("--no-compile", dest="compile", action="store_false")
    steps.add_parser("uninstall")
    args = parser.parse_args(argv)
    # The installer reads this output through a pipe in the ANSI code page; a user or folder
    # name outside it (Dari, Pashto, Urdu) must not stop the setup.
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    log = Log(args.log)
    log(f"clusterbook_setup {args.step} with {sys.executable}")
    return install(args, log) if args.step == "install" else uninstall(args, log)


if __name__ == "__main__":
    sys.exit(main())
