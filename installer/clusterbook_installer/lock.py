"""``build.py lock``: choose the Windows wheels and pin them in the manifest.

pip resolves with the markers of the machine it runs on, so a Linux resolve leaves out
Windows-only dependencies (pywin32 for xlwings, tzdata for pandas). The lock therefore repeats:
download, judge every ``Requires-Dist`` for the Windows target, add what is missing, until
the set is complete for Windows; then it keeps only what the target needs.
"""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from clusterbook_installer import BuildError
from clusterbook_installer.fetch import run_pip
from clusterbook_installer.manifest import Manifest, PinnedWheel, sha256_of
from clusterbook_installer.target import Target
from clusterbook_installer.wheels import (
    check_tags,
    needed_names,
    read_wheel,
    unmet_requirements,
)

MAX_ROUNDS = 8


def project_requirements(project: Path) -> list[Requirement]:
    """ClusterBook's runtime dependencies, read from ``pyproject.toml``."""
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(line) for line in data["project"]["dependencies"]]


def resolve(roots: list[Requirement], target: Target, folder: Path,
            find_links: Path | None = None) -> list[Path]:
    """Download a complete set of target wheels for the roots into ``folder``: from PyPI, or
    only from the wheels in ``find_links`` when given (no network)."""
    asked = [str(root) for root in roots]
    source = ["--no-index", "--find-links", str(find_links)] if find_links else []
    for _round in range(MAX_ROUNDS):
        run_pip(["download", "--progress-bar", "off", *source, *target.pip_platform_options(),
              "-d", str(folder), *asked], "the Windows wheels")
        wheels = {path: read_wheel(path) for path in sorted(folder.glob("*.whl"))}
        unmet = unmet_requirements(wheels.values(), roots, target)
        if not unmet:
            keep = needed_names(wheels.values(), roots, target)
            return [path for path, dist in wheels.items() if dist.name in keep]
        for _asker, requirement in unmet:
            plain = Requirement(str(requirement))
            plain.marker = None
            if str(plain) not in asked:
                asked.append(str(plain))
    raise BuildError(f"The Windows dependencies did not settle after {MAX_ROUNDS} rounds: "
                     + ", ".join(str(req) for _asker, req in unmet))


def lock(manifest: Manifest, project: Path, find_links: Path | None = None) -> Manifest:
    """A manifest whose wheels are a fresh complete resolve of the project's dependencies
    (from PyPI, or from the wheels in ``find_links``)."""
    target = manifest.target
    with tempfile.TemporaryDirectory() as scratch:
        paths = resolve(project_requirements(project), target, Path(scratch), find_links)
        pinned = []
        for path in paths:
            check_tags(path, target)
            dist = read_wheel(path)
            pinned.append(PinnedWheel(str(dist.name), str(dist.version), path.name,
                                      sha256_of(path)))
    pinned.sort(key=lambda wheel: wheel.name)
    return Manifest(python=manifest.python, wheels=pinned, prune=manifest.prune,
                    size_limit_mb=manifest.size_limit_mb)
