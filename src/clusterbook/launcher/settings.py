"""What the launcher remembers between sessions: folders, recent files, window size.

A small JSON file in the user's configuration folder; no Qt, so controllers and tests use it
directly. A damaged file is set aside and the launcher starts with defaults.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

RECENT_LIMIT = 8


def config_folder() -> Path:
    """Where ClusterBook keeps its settings for this user."""
    override = os.environ.get("CLUSTERBOOK_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "ClusterBook"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ClusterBook"
    return Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "clusterbook"


@dataclass
class Settings:
    """The remembered state; ``save`` writes it, ``load`` reads it back."""

    folders: dict[str, str] = field(default_factory=dict)  # per page: last folder used
    recent: dict[str, list[str]] = field(default_factory=dict)  # per page: recent files
    window: list[int] = field(default_factory=list)  # width, height
    page: str = ""
    path: Path | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or config_folder() / "launcher.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            settings = cls(folders=dict(data.get("folders", {})),
                           recent={key: list(value) for key, value in
                                   data.get("recent", {}).items()},
                           window=list(data.get("window", [])), page=str(data.get("page", "")))
        except FileNotFoundError:
            settings = cls()
        except (ValueError, TypeError, AttributeError, OSError):
            path.replace(path.with_suffix(".damaged.json"))
            settings = cls()
        settings.path = path
        return settings

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        data.pop("path")
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)

    def folder(self, page: str) -> str:
        """The folder a file dialog on ``page`` should open in."""
        remembered = self.folders.get(page, "")
        return remembered if remembered and Path(remembered).is_dir() else str(Path.home())

    def remember(self, page: str, path: Path | str) -> None:
        """Note a file or folder the user chose on ``page``."""
        path = Path(path)
        self.folders[page] = str(path if path.is_dir() else path.parent)
        recent = [item for item in self.recent.get(page, []) if item != str(path)]
        self.recent[page] = [str(path), *recent][:RECENT_LIMIT]

    def recent_files(self, page: str) -> list[str]:
        """Recent files of a page that still exist, newest first."""
        return [item for item in self.recent.get(page, []) if Path(item).exists()]
