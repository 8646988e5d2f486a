"""Build ClusterBook's per-user Windows installer: ``python installer/build.py``.

Needs Python 3.11+ with pip and ``packaging``, makensis (NSIS 3), and PyPI for the first
build (later builds run from the download cache). ``python installer/build.py --help``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from clusterbook_installer.cli import main
except ModuleNotFoundError as error:  # pragma: no cover - a bare interpreter
    sys.exit(f"build: this build needs the Python package '{error.name}' "
             f"(python -m pip install packaging).")

if __name__ == "__main__":
    sys.exit(main())
