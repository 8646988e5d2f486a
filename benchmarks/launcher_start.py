"""How long the launcher takes to show its window, beside a bare Qt window started the same way.

    python benchmarks/launcher_start.py [--repeat 5]

Each run starts a fresh interpreter (as a user's double-click does), builds the window
offscreen, renders it to a PNG and exits: ``clusterbook-launcher --screenshot``. The peer is a
bare PySide6 window (one label) started and rendered the same way, in the same run, so what
is left is the launcher's own cost: its imports, its pages and its settings. Goal: the window
within a second and a half. Prints the best and the median of ``--repeat`` starts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import timings

SRC = Path(__file__).resolve().parents[1] / "src"

GOAL_S = 1.5

BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
window = QLabel("ClusterBook")
window.resize(1100, 720)
window.show()
app.processEvents()
window.grab().save(sys.argv[1])
"""


def start(command: list[str], folder: Path) -> None:
    """Run one start to its exit; a failed start is an error, not a time."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "QT_QPA_PLATFORM": "offscreen",
           "CLUSTERBOOK_CONFIG_DIR": str(folder / "config")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{result.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shot = folder / "window.png"
        launcher = [sys.executable, "-m", "clusterbook.launcher", "--screenshot", str(shot)]
        bare = [sys.executable, "-c", BARE_WINDOW, str(folder / "bare.png")]
        start(launcher, folder)  # the first start fills the disk cache for both
        _, ours, ours_median = timings(lambda: start(launcher, folder), args.repeat)
        _, peer, peer_median = timings(lambda: start(bare, folder), args.repeat)
    print(f"launcher window shown and rendered: {ours / 1000:.2f} s "
          f"(median {ours_median / 1000:.2f} s; goal {GOAL_S} s)")
    print(f"bare PySide6 window, same way     : {peer / 1000:.2f} s "
          f"(median {peer_median / 1000:.2f} s; the launcher {ours / peer:.1f}x)")


if __name__ == "__main__":
    main()
