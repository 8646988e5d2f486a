"""Wheels for the target: their metadata, whether a set is complete, and unpacking them.

The embeddable CPython has no pip, so the build installs wheels itself, the way pip would:
the package files go to ``Lib/site-packages``, a wheel's ``.data/data`` files to the
interpreter's folder (xlwings puts its Excel DLL there), ``.data/scripts`` to ``Scripts``.
"""

from __future__ import annotations

import email.parser
import shutil
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement
from packaging.tags import Tag, parse_tag
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from clusterbook_installer import BuildError
from clusterbook_installer.target import Target

#: Written to each installed distribution's ``INSTALLER`` file, as pip writes "pip".
INSTALLER_NAME = "clusterbook-installer"


@dataclass(frozen=True)
class Distribution:
    """What a wheel (or an unpacked ``.dist-info``) says about itself."""

    name: NormalizedName
    version: Version
    requires: tuple[Requirement, ...]
    tags: frozenset[Tag]
    source: str

    def dependencies(self, target: Target, extras: Iterable[str] = ()) -> list[Requirement]:
        """The requirements that apply on the target, with the given extras asked for.

        Their markers are judged here and dropped from the returned copies (an
        ``extra == "x"`` marker is only true while reading this distribution's metadata).
        """
        wanted = ["", *sorted({canonicalize_name(extra) for extra in extras})]
        found = []
        for requirement in self.requires:
            if requirement.marker is None or any(
                requirement.marker.evaluate(target.marker_environment(extra)) for extra in wanted
            ):
                applied = Requirement(str(requirement))
                applied.marker = None
                found.append(applied)
        return found


def _parse_metadata(metadata: str, wheel_info: str | None, source: str) -> Distribution:
    message = email.parser.Parser().parsestr(metadata, headersonly=True)
    tags: set[Tag] = set()
    if wheel_info is not None:
        for value in email.parser.Parser().parsestr(wheel_info).get_all("Tag", []):
            tags.update(parse_tag(value))
    return Distribution(
        name=canonicalize_name(message["Name"]),
        version=Version(message["Version"]),
        requires=tuple(Requirement(value) for value in message.get_all("Requires-Dist", [])),
        tags=frozenset(tags),
        source=source,
    )


def _dist_info_prefix(names: Iterable[str], source: str) -> str:
    prefixes = {name.split("/")[0] for name in names if name.split("/")[0].endswith(".dist-info")}
    if len(prefixes) != 1:
        raise BuildError(f"{source} is not a wheel: it has {len(prefixes)} .dist-info folders.")
    return prefixes.pop()


def read_wheel(path: Path) -> Distribution:
    """The metadata of a ``.whl`` file."""
    with zipfile.ZipFile(path) as archive:
        prefix = _dist_info_prefix(archive.namelist(), path.name)
        metadata = archive.read(f"{prefix}/METADATA").decode("utf-8")
        wheel_info = archive.read(f"{prefix}/WHEEL").decode("utf-8")
    return _parse_metadata(metadata, wheel_info, path.name)


def read_installed(site_packages: Path) -> list[Distribution]:
    """The distributions unpacked into a ``site-packages`` folder."""
    found = []
    for dist_info in sorted(site_packages.glob("*.dist-info")):
        wheel_file = dist_info / "WHEEL"
        found.append(_parse_metadata(
            (dist_info / "METADATA").read_text(encoding="utf-8"),
            wheel_file.read_text(encoding="utf-8") if wheel_file.exists() else None,
            dist_info.name,
        ))
    return found


def unmet_requirements(
    distributions: Iterable[Distribution], roots: Iterable[Requirement], target: Target,
) -> list[tuple[str, Requirement]]:
    """Requirements (with who asked for them) that no distribution in the set satisfies.

    Walks from the roots through every dependency that applies on the target; an empty list
    means the set is complete for the target.
    """
    by_name = {dist.name: dist for dist in distributions}
    unmet: list[tuple[str, Requirement]] = []
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    queue: list[tuple[str, Requirement]] = [("the application", root) for root in roots]
    while queue:
        asker, requirement = queue.pop(0)
        if requirement.marker is not None and not requirement.marker.evaluate(
            target.marker_environment()
        ):
            continue
        name = canonicalize_name(requirement.name)
        dist = by_name.get(name)
        if dist is None or not requirement.specifier.contains(dist.version, prereleases=True):
            unmet.append((asker, requirement))
            continue
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        queue.extend((str(dist.name), dep) for dep in dist.dependencies(target, requirement.extras))
    return unmet


def needed_names(
    distributions: Iterable[Distribution], roots: Iterable[Requirement], target: Target,
) -> set[NormalizedName]:
    """The names reachable from the roots on the target (the rest of a download is surplus)."""
    by_name = {dist.name: dist for dist in distributions}
    needed: set[NormalizedName] = set()
    queue = list(roots)
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    while queue:
        requirement = queue.pop(0)
        if requirement.marker is not None and not requirement.marker.evaluate(
            target.marker_environment()
        ):
            continue
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in seen or name not in by_name:
            continue
        seen.add(key)
        needed.add(name)
        queue.extend(by_name[name].dependencies(target, requirement.extras))
    return needed


def check_tags(wheel: Path, target: Target) -> None:
    """Refuse a wheel the bundled interpreter cannot load (wrong platform or Python)."""
    _name, _version, _build, tags = parse_wheel_filename(wheel.name)
    if not tags & target.tags:
        raise BuildError(
            f"{wheel.name} is not for CPython {target.python_version} on {target.platform} "
            f"(its tags: {', '.join(sorted(map(str, tags)))})."
        )


def install_wheel(wheel: Path, python_dir: Path) -> list[Path]:
    """Unpack a wheel into the embeddable interpreter at ``python_dir``; returns the files."""
    site_packages = python_dir / "Lib" / "site-packages"
    written: list[Path] = []
    with zipfile.ZipFile(wheel) as archive:
        dist_info = _dist_info_prefix(archive.namelist(), wheel.name)
        data_prefix = dist_info.removesuffix(".dist-info") + ".data"
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = PurePosixPath(info.filename)
            if member.is_absolute() or ".." in member.parts:
                raise BuildError(f"{wheel.name} has an unsafe path: {info.filename}")
            if member.parts[0] == data_prefix:
                scheme, rest = member.parts[1], member.parts[2:]
                base = {"purelib": site_packages, "platlib": site_packages,
                        "data": python_dir, "scripts": python_dir / "Scripts"}.get(scheme)
                if base is None:  # headers: nothing at run time needs them
                    continue
                destination = base.joinpath(*rest)
            else:
                destination = site_packages.joinpath(*member.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)
            written.append(destination)
        (site_packages / dist_info / "INSTALLER").write_text(INSTALLER_NAME + "\n")
    return written
