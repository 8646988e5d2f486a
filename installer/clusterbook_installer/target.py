"""The Windows machine the installer is for: 64-bit Windows 10/11, CPython of the bundled version.

Wheel tags and dependency markers are judged for this machine, never for the machine that
builds the installer (pip evaluates markers such as ``platform_system == "Windows"`` for the
machine it runs on, so a Linux build would silently drop pywin32).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from packaging.tags import Tag, compatible_tags, cpython_tags


@dataclass(frozen=True)
class Target:
    """CPython ``python_version`` (e.g. "3.12.9") on 64-bit Windows."""

    python_version: str
    platform: str = "win_amd64"

    @property
    def major_minor(self) -> tuple[int, int]:
        major, minor = self.python_version.split(".")[:2]
        return int(major), int(minor)

    @property
    def short(self) -> str:
        """"312" for Python 3.12."""
        major, minor = self.major_minor
        return f"{major}{minor}"

    @property
    def abi(self) -> str:
        return f"cp{self.short}"

    @property
    def pth_name(self) -> str:
        """The embeddable distribution's path file, ``python312._pth``."""
        return f"python{self.short}._pth"

    @property
    def stdlib_zip(self) -> str:
        return f"python{self.short}.zip"

    @cached_property
    def tags(self) -> frozenset[Tag]:
        """Every wheel tag the bundled interpreter accepts."""
        version = self.major_minor
        cpython = cpython_tags(version, abis=[self.abi, "abi3", "none"], platforms=[self.platform])
        generic = compatible_tags(version, interpreter=self.abi, platforms=[self.platform])
        return frozenset([*cpython, *generic])

    def marker_environment(self, extra: str = "") -> dict[str, str]:
        """PEP 508 marker values as the bundled interpreter on Windows reports them."""
        return {
            "implementation_name": "cpython",
            "implementation_version": self.python_version,
            "os_name": "nt",
            "platform_machine": "AMD64",
            "platform_python_implementation": "CPython",
            "platform_release": "10",
            "platform_system": "Windows",
            "platform_version": "10.0.19045",
            "python_full_version": self.python_version,
            "python_version": ".".join(str(part) for part in self.major_minor),
            "sys_platform": "win32",
            "extra": extra,
        }

    def pip_platform_options(self) -> list[str]:
        """Options that make ``pip download`` pick wheels for this target."""
        major, minor = self.major_minor
        return [
            "--only-binary=:all:",
            "--platform", self.platform,
            "--python-version", f"{major}.{minor}",
            "--implementation", "cp",
            "--abi", self.abi, "--abi", "abi3", "--abi", "none",
        ]
