"""Getting the pinned pieces into the download cache, and checking every byte of them.

Downloads go through pip (PyPI is the only source). A piece already in the cache with the
pinned sha256 is never downloaded again, so a filled cache builds with no network at all.
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from clusterbook_installer import BuildError
from clusterbook_installer.manifest import Manifest, PinnedWheel, PythonRuntime, sha256_of


def run_pip(arguments: Sequence[str], what: str) -> None:
    command = [sys.executable, "-m", "pip", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        said = "\n".join((result.stdout + result.stderr).strip().splitlines()[-6:])
        raise BuildError(f"pip could not get {what}.\npip said:\n{said}")


def _hash_requirements(lines: Sequence[tuple[str, str]], directory: Path) -> Path:
    path = directory / "requirements.txt"
    path.write_text("".join(f"{spec} --hash=sha256:{digest}\n" for spec, digest in lines))
    return path


def _missing_message(pieces: Sequence[tuple[str, str]], folder: Path, reason: str) -> str:
    listing = "\n".join(f"  {name}  sha256 {digest}" for name, digest in pieces)
    return (f"{reason}\nMissing from {folder}:\n{listing}\n"
            f"Put these files there, or build on a machine that reaches PyPI.")


def cached_wheels(manifest: Manifest, cache: Path, *, offline: bool = False) -> list[Path]:
    """Every pinned wheel, from the cache or downloaded; each sha256 checked."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [wheel for wheel in manifest.wheels if not _good(folder / wheel.filename, wheel)]
    if missing:
        if offline:
            raise BuildError(_missing_message(
                [(w.filename, w.sha256) for w in missing], folder, "Offline build, and "
                f"{len(missing)} pinned wheel(s) are not in the cache."))
        with tempfile.TemporaryDirectory() as scratch:
            requirements = _hash_requirements(
                [(f"{w.name}=={w.version}", w.sha256) for w in missing], Path(scratch))
            try:
                run_pip(["download", "--no-deps", "--require-hashes", "--progress-bar", "off",
                      *manifest.target.pip_platform_options(), "-r", str(requirements),
                      "-d", str(folder)],
                     f"{len(missing)} Windows wheel(s)")
            except BuildError as error:
                raise BuildError(_missing_message(
                    [(w.filename, w.sha256) for w in missing], folder, str(error))) from error
    paths = []
    for wheel in manifest.wheels:
        path = folder / wheel.filename
        if not _good(path, wheel):
            raise BuildError(f"{path} does not match the manifest: expected sha256 "
                             f"{wheel.sha256}, got {sha256_of(path) if path.exists() else 'none'}.")
        paths.append(path)
    return paths


def _good(path: Path, wheel: PinnedWheel) -> bool:
    return path.is_file() and sha256_of(path) == wheel.sha256


def python_files(runtime: PythonRuntime, cache: Path, *, python_zip: Path | None = None,
                 offline: bool = False) -> dict[str, bytes]:
    """The files of the embeddable CPython, by name, each checked against the manifest.

    From ``python_zip`` (python.org's ``python-X.Y.Z-embed-amd64.zip``) when given, else from
    the PyPI distribution pinned in the manifest.
    """
    if python_zip is not None:
        if not python_zip.is_file():
            raise BuildError(f"--python-zip {python_zip}: no such file.")
        files = _zip_members(python_zip.read_bytes(), prefix="", source=python_zip.name)
        source = str(python_zip)
    else:
        files = _files_from_pypi(runtime, cache, offline=offline)
        source = f"{runtime.pypi_source.filename} (PyPI)"
    check_python_files(files, runtime, source)
    return files


def check_python_files(files: dict[str, bytes], runtime: PythonRuntime, source: str) -> None:
    """Refuse a distribution whose file list or any file's sha256 differs from the manifest."""
    import hashlib

    pinned = runtime.files
    problems = [f"{name} is missing" for name in sorted(set(pinned) - set(files))]
    problems += [f"{name} is not in the manifest" for name in sorted(set(files) - set(pinned))]
    for name, data in sorted(files.items()):
        digest = hashlib.sha256(data).hexdigest()
        if name in pinned and digest != pinned[name]:
            problems.append(f"{name} has sha256 {digest}, the manifest says {pinned[name]}")
    if problems:
        raise BuildError(
            f"The embeddable CPython from {source} is not the pinned CPython {runtime.version}:\n  "
            + "\n  ".join(problems)
            + f"\nGive python.org's {runtime.official_zip} with --python-zip, or fix the manifest.")


def _zip_members(data: bytes, *, prefix: str, source: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.is_dir() or not info.filename.startswith(prefix):
                    continue
                name = info.filename[len(prefix):]
                if "/" in name or name in ("", ".", ".."):
                    raise BuildError(f"{source}: unexpected entry {info.filename}")
                files[name] = archive.read(info)
    except zipfile.BadZipFile as error:
        raise BuildError(f"{source} is not a zip file ({error}).") from error
    return files


def _files_from_pypi(runtime: PythonRuntime, cache: Path, *, offline: bool) -> dict[str, bytes]:
    pin = runtime.pypi_source
    folder = cache / "python"
    folder.mkdir(parents=True, exist_ok=True)
    sdist = folder / pin.filename
    if not (sdist.is_file() and sha256_of(sdist) == pin.sha256):
        missing = [(pin.filename, pin.sha256)]
        reason = (f"The Windows embeddable CPython {runtime.version} is not in the cache, and "
                  f"the build is offline." if offline else "")
        if offline:
            raise BuildError(_missing_message(missing, folder, reason) +
                             f"\nOr give python.org's {runtime.official_zip} with --python-zip.")
        with tempfile.TemporaryDirectory() as scratch:
            requirements = _hash_requirements([(pin.requirement, pin.sha256)], Path(scratch))
            try:
                run_pip(["download", "--no-deps", "--require-hashes",
                      "--progress-bar", "off", "-r", str(requirements), "-d", str(folder)],
                     f"the Windows embeddable CPython ({pin.requirement})")
            except BuildError as error:
                raise BuildError(
                    _missing_message(missing, folder, str(error))
                    + f"\nOr give python.org's {runtime.official_zip} with --python-zip."
                ) from error
        if sha256_of(sdist) != pin.sha256:
            raise BuildError(f"{sdist} does not have the pinned sha256 {pin.sha256}.")
    with tarfile.open(sdist) as archive:
        try:
            member = archive.extractfile(pin.archive_member)
        except KeyError as error:
            raise BuildError(f"{pin.filename} has no {pin.archive_member}.") from error
        if member is None:
            raise BuildError(f"{pin.filename}: {pin.archive_member} is not a file.")
        inner = member.read()
    return _zip_members(inner, prefix=pin.prefix, source=f"{pin.filename}:{pin.archive_member}")


def build_app_wheel(project: Path, out: Path) -> Path:
    """Build ClusterBook's own wheel from the checkout (pure Python, any platform)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("clusterbook-*.whl"):
        old.unlink()
    offline_backend = importlib.util.find_spec("hatchling") is not None
    run_pip(["wheel", "--no-deps", "--quiet", "-w", str(out),
          *(["--no-build-isolation"] if offline_backend else []), str(project)],
         "ClusterBook's own wheel (the build backend hatchling comes from PyPI unless "
         "it is installed)")
    wheels = sorted(out.glob("clusterbook-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"Building ClusterBook's wheel in {out} gave {len(wheels)} wheels.")
    return wheels[0]
