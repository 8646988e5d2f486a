"""`clusterbook flags` at national scale, end to end, beside pandas reading and writing the
same tables.

    python benchmarks/flags_national.py [--clusters 100000] [--rounds 24] [--repeat 3] [--book]

Writes a national round data CSV (one row per cluster per round, as ``flags_scale.py`` makes
it) in a temporary folder, then in each repetition, back to back:
- the command ``clusterbook flags national.csv --out flags.csv`` (a new process: wall time and
  peak memory);
- the peer: pandas' own ``read_csv`` of the input plus ``to_csv`` of the flags table (the same
  tables the command reads and writes, in this process);
- the command's steps in this process: reading, classifying, writing;
- ``classify_clusters`` on the frame pandas read (plain string columns), its first use.
The command's wall time includes starting Python (a small process in between measures its
peak memory). With ``--book``, also ``--out flags.xlsx`` (the national flags book) once,
beside the CSV command. Goals: the command at most 3 s and within 2x of the peer.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pandas as pd

from clusterbook import classify_clusters
from clusterbook.excel.round_data import read_round_file
from clusterbook.reports.flags_book import write_flags_csv
from clusterbook.sample.region import scaled_round_data

ROOT = Path(__file__).resolve().parents[1]


#: Runs a command and prints its peak memory (kB). A small process in between: a child made
#: straight from this large process would report this process's memory as its own peak.
_PEAK = ("import os, subprocess, sys\n"
         "process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
         "_, status, usage = os.wait4(process.pid, 0)\n"
         "print(usage.ru_maxrss)\n"
         "sys.exit(os.waitstatus_to_exitcode(status))\n")


def command(*args: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one `clusterbook` run in a new process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _PEAK, sys.executable, "-m", "clusterbook",
                             *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"clusterbook {' '.join(args)} failed: {result.stderr}")
    return seconds, int(result.stdout.split()[-1]) / 1024


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--book", action="store_true", help="also time the national book")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "national.csv"
        scaled_round_data(args.clusters, args.rounds).to_csv(data, index=False)
        size = data.stat().st_size / 1e6
        out, peer_out = Path(folder) / "flags.csv", Path(folder) / "pandas.csv"
        runs: dict[str, list[float]] = {key: [] for key in (
            "command", "peer", "peer read", "peer write", "read", "classify", "write", "plain")}
        peak = 0.0
        for _ in range(args.repeat):
            gc.collect()
            seconds, memory = command("flags", str(data), "--out", str(out))
            runs["command"].append(seconds)
            peak = max(peak, memory)
            # The command's steps, in this process.
            (frame, source), seconds = timed(read_round_file, data)
            runs["read"].append(seconds)
            flags, seconds = timed(classify_clusters, frame, source=source)
            runs["classify"].append(seconds)
            _, seconds = timed(write_flags_csv, flags, out)
            runs["write"].append(seconds)
            del frame
            gc.collect()
            # The peer: pandas reads the same input and writes the same flags table.
            plain, read_seconds = timed(pd.read_csv, data)
            _, write_seconds = timed(flags.to_csv, peer_out, index=False,
                                     float_format="%.10g", encoding="utf-8-sig")
            runs["peer read"].append(read_seconds)
            runs["peer write"].append(write_seconds)
            runs["peer"].append(read_seconds + write_seconds)
            del flags
            gc.collect()
            # The engine on pandas' own reading (plain string columns), first use.
            _, seconds = timed(classify_clusters, plain)
            runs["plain"].append(seconds)
            del plain
        same = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False).equals(
            pd.read_csv(peer_out, encoding="utf-8-sig", dtype=str, keep_default_na=False))

        def figure(key: str) -> str:
            values = runs[key]
            return f"{min(values):6.2f} s (median {statistics.median(values):5.2f})"

        rows = args.clusters * args.rounds
        print(f"{args.clusters:,} clusters x {args.rounds} rounds = {rows:,} rows, "
              f"input CSV {size:.0f} MB; {args.repeat} runs, best (median)")
        print(f"clusterbook flags --out flags.csv, wall: {figure('command')}   "
              f"peak {peak:.0f} MB   goal <= 3 s")
        ratios = [ours / theirs for ours, theirs in zip(runs["command"], runs["peer"],
                                                         strict=True)]
        print(f"pandas read_csv + to_csv (peer):       {figure('peer')}   "
              f"command / peer {min(ratios):.2f}x (median {statistics.median(ratios):.2f}x)"
              f"   goal <= 2x")
        print(f"  pandas read_csv {figure('peer read')}, to_csv {figure('peer write')}")
        print(f"  command's steps: read {figure('read')}, classify {figure('classify')}, "
              f"write {figure('write')}")
        print(f"classify_clusters on pandas' plain string columns: {figure('plain')}   "
              f"goal <= 1 s")
        print(f"the command's CSV reads back as pandas' to_csv: {same}")
        if args.book:
            book = Path(folder) / "flags.xlsx"
            csv_seconds, _ = command("flags", str(data), "--out", str(out))
            seconds, memory = command("flags", str(data), "--out", str(book))
            print(f"national flags book (--out flags.xlsx), wall: {seconds:6.2f} s, "
                  f"{book.stat().st_size / 1e6:.0f} MB, peak {memory:.0f} MB; "
                  f"the same command to CSV in this run {csv_seconds:.2f} s")


if __name__ == "__main__":
    main()
