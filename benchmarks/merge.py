"""Merging the demo's region submissions (928 microplans, action plans, copies, newer versions,
broken files) into a regional review book, beside merely reading the same files with
pandas.read_excel(engine="openpyxl") and with python-calamine alone, in the same run.

    python benchmarks/merge.py [--folder DIR] [--workers N] [--peer-files N]
    python benchmarks/merge.py --national [COUNT] [--cache DIR] [--workers N]

Without --folder the region's submissions are written to a temporary folder first (about a
minute). Each merge runs in a fresh process, so its time and peak memory are its own; the
re-merge with nothing changed and the merge after ten files changed run against the ledger
the first merge left.

--national merges COUNT (default 10,000) demo-style microplans, copies of the sample region
numbered as regions of a country, with their national cluster list, beside python-calamine
reading the same files. Writing them takes minutes, so they are kept in --cache (default: a
folder in the system's temporary folder) and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

GOALS = {"merge": 10.0, "remerge": 2.0, "memory": 500.0}

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from clusterbook.jobs.merge import MergeRequest, merge_folder
from clusterbook.sample.submissions import national_cluster_list, sample_cluster_list
clusters = {clusters}
started = time.perf_counter()
result = merge_folder(MergeRequest(Path({folder!r}), Path({out!r}), clusters,
                                   workers={workers!r}))
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "read": result.read, "reused": result.reused,
                  "up_to_date": result.up_to_date, "steps": result.steps,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb":
                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def merge_in_child(folder: Path, out: Path, workers: int | None,
                   clusters: str = "sample_cluster_list()") -> dict:
    code = _CHILD.format(src=str(SRC), folder=str(folder), out=str(out), workers=workers,
                         clusters=clusters)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def workbooks(folder: Path) -> list[Path]:
    from clusterbook.excel.file_search import collect_paths

    paths, _ = collect_paths([folder])
    return [path for path in paths if path.suffix == ".xlsx" and not path.name.startswith("~$")]


def calamine_read(paths: list[Path]) -> float:
    import python_calamine

    started = time.perf_counter()
    for path in paths:
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        except Exception:  # the cut-off file: calamine refuses it too
            continue
    return time.perf_counter() - started


def pandas_read(paths: list[Path]) -> float:
    import pandas as pd

    started = time.perf_counter()
    for path in paths:
        try:
            pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        except Exception:
            continue
    return time.perf_counter() - started


def change_files(folder: Path, count: int) -> None:
    """Resend ``count`` microplans, signed some days later (new content, new fingerprints)."""
    from clusterbook.forms import MICROPLAN
    from clusterbook.sample.submissions import SampleFile, write_sample_files

    items = []
    for path in sorted(folder.rglob("*_???-0??.xlsx"))[:count]:
        code = path.stem.split("_", 1)[1]
        items.append(SampleFile(path.relative_to(folder).as_posix(), MICROPLAN.form_id, code,
                                days_later=1 + time.time_ns() % 300))
    write_sample_files(folder, items, workers=1)


def national(count: int, cache: Path | None, workers: int | None) -> None:
    """Merge ``count`` demo-style microplans (written once into ``cache``) beside reading them
    with python-calamine alone."""
    from clusterbook.sample.submissions import sample_cluster_list, write_national_submissions

    cache = cache or Path(tempfile.gettempdir()) / f"clusterbook-national-{count}"
    folder, written = cache / "submissions", cache / "written.txt"
    if not written.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        write_national_submissions(folder, count)
        written.write_text(f"{count}\n")
        print(f"Wrote {count:,} microplans into {folder} in "
              f"{time.perf_counter() - started:.0f} s")
    paths = workbooks(folder)
    regions = -(-count // len(sample_cluster_list().clusters))
    print(f"{len(paths):,} workbooks in {folder}; machine: {os.cpu_count()} cores, load "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / "national review.xlsx"
        calamine_read(paths[:200])
        calamine_seconds = calamine_read(paths)
        first = merge_in_child(folder, out, workers, f"national_cluster_list({regions})")
        again = merge_in_child(folder, out, workers, f"national_cluster_list({regions})")
        calamine = min(calamine_seconds, calamine_read(paths))
        size = out.stat().st_size / 2**20
    peak = max(first["peak_mb"], first["worker_peak_mb"])
    print(f"\nNational merge of {len(paths):,} workbooks (each merge in a fresh process):")
    print(f"  {'merge, no ledger yet':<44} {first['seconds']:7.2f} s  {first['read']:,} files "
          f"read; peak memory {first['peak_mb']:.0f} MB, each reading process at most "
          f"{first['worker_peak_mb']:.0f} MB (goal <= {GOALS['memory']:g} MB: "
          f"{'met' if peak <= GOALS['memory'] else 'NOT met'}); review book {size:.0f} MB")
    print("    " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in first["steps"].items()))
    print(f"  {'re-merge, nothing changed':<44} {again['seconds']:7.2f} s  "
          f"up to date: {again['up_to_date']}")
    print(f"  {'python-calamine reading them, every sheet':<44} {calamine:7.2f} s  "
          f"merge / calamine = {first['seconds'] / calamine:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=int, nargs="?", const=10_000, default=None,
                        metavar="COUNT", help="merge COUNT demo-style microplans (default "
                                              "10,000) instead of the region's submissions")
    parser.add_argument("--cache", type=Path, default=None,
                        help="where --national keeps the microplans it wrote, for later runs")
    parser.add_argument("--folder", type=Path, help="a folder of submissions (default: write "
                                                    "the demo's region submissions)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes reading files (default: ClusterBook decides)")
    parser.add_argument("--peer-files", type=int, default=0,
                        help="read only this many files with pandas+openpyxl and scale the "
                             "time up (default: all of them)")
    args = parser.parse_args()
    if args.national is not None:
        national(args.national, args.cache, args.workers)
        return
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        folder = args.folder
        if folder is None:
            from clusterbook.sample.submissions import write_region_submissions

            folder = work / "submissions"
            started = time.perf_counter()
            written = write_region_submissions(folder)
            print(f"Wrote the region's submissions in {time.perf_counter() - started:.1f} s "
                  f"({written.microplans} microplans, {written.action_plans} action plans, "
                  f"{written.newer_versions} newer versions, {written.copies} copies)")
        else:
            folder = folder.resolve()
        paths = workbooks(folder)
        out = work / "review" / "review.xlsx"
        print(f"{len(paths)} workbooks in {folder}; machine: {os.cpu_count()} cores, load "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")

        calamine_read(paths[:50])  # the page cache warm for everyone
        calamine_seconds = calamine_read(paths)
        first = merge_in_child(folder, out, args.workers)
        again = merge_in_child(folder, out, args.workers)
        calamine_again = calamine_read(paths)
        change_files(folder, 10)
        changed = merge_in_child(folder, out, args.workers)
        sample = paths[:args.peer_files] if args.peer_files else paths
        pandas_seconds = pandas_read(sample) * len(paths) / len(sample)
        calamine = min(calamine_seconds, calamine_again)

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"  {label:<44} {seconds:7.2f} s  {note}")

    print(f"\nMerging {len(paths)} workbooks (each merge in a fresh process):")
    line("merge, no ledger yet", first["seconds"],
         f"goal <= {GOALS['merge']:g} s; {first['read']} files read; peak memory "
         f"{first['peak_mb']:.0f} MB (goal <= {GOALS['memory']:g} MB), each reading "
         f"process at most {first['worker_peak_mb']:.0f} MB")
    print("    " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in first["steps"].items()))
    line("re-merge, nothing changed", again["seconds"],
         f"goal <= {GOALS['remerge']:g} s; up to date: {again['up_to_date']}")
    line("re-merge, 10 files changed", changed["seconds"],
         f"{changed['read']} read, {changed['reused']} from the ledger")
    print("Reading the same files, nothing else:")
    line("python-calamine, every sheet", calamine,
         f"merge / calamine = {first['seconds'] / calamine:.2f}x (goal <= 3x)")
    scaled = f" (scaled from {len(sample)} files)" if len(sample) < len(paths) else ""
    line("pandas.read_excel(engine='openpyxl')", pandas_seconds,
         f"pandas / merge = {pandas_seconds / first['seconds']:.1f}x (goal >= 5x){scaled}")


if __name__ == "__main__":
    main()
