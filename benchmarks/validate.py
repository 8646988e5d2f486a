"""Reading and checking filled microplans: ClusterBook (python-calamine + the checks) beside
pandas.read_excel(engine="openpyxl") merely reading the same files, in the same run.

    python benchmarks/validate.py [FILES]   (default 200 sample microplans, ~5 % with a mistake)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import pandas as pd

from clusterbook.domain.checks import CheckContext, check_documents
from clusterbook.excel.forms_check import check_submissions
from clusterbook.excel.forms_reader import read_submission
from clusterbook.forms import MICROPLAN
from clusterbook.sample.region import sample_region
from clusterbook.sample.submissions import (
    MISTAKES,
    microplan_data,
    sample_cluster_list,
    with_mistake,
)
from clusterbook.templates import write_form
from pandera_oracle import through_pandera


def write_files(folder: Path, count: int) -> list[Path]:
    codes = sample_region().clusters["cluster_code"].tolist()[:count]
    kinds = sorted(MISTAKES)
    paths = []
    for index, code in enumerate(codes):
        data = microplan_data(code)
        if index % 20 == 7:  # about 5 % of the files carry one mistake
            data, _ = with_mistake(data, kinds[index % len(kinds)])
        paths.append(write_form(folder / f"{code}.xlsx", MICROPLAN, data))
    return paths


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    context = CheckContext(clusters=sample_cluster_list())
    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder), count)
        check_submissions([read_submission(paths[0])], context)  # imports and caches warm

        started = time.perf_counter()
        submissions = [read_submission(path) for path in paths]
        read_seconds = time.perf_counter() - started
        started = time.perf_counter()
        findings = check_submissions(submissions, context)
        check_seconds = time.perf_counter() - started

        documents = [document for s in submissions for document in s.documents]
        started = time.perf_counter()
        with through_pandera():
            check_documents(documents, context)
        pandera_seconds = time.perf_counter() - started

        started = time.perf_counter()
        single = [check_submissions([s], context) for s in submissions[:20]]
        single_seconds = (time.perf_counter() - started) / len(single)

        started = time.perf_counter()
        for path in paths:
            pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
        pandas_seconds = time.perf_counter() - started

    per_file = 1000 / count
    ours = (read_seconds + check_seconds) * per_file
    peer = pandas_seconds * per_file
    print(f"{count} filled microplans, {len(findings)} findings")
    print(f"ClusterBook read + check : {ours:6.2f} ms per file "
          f"(read {read_seconds * per_file:.2f} ms, check {check_seconds * per_file:.2f} ms, "
          f"checked together)")
    print(f"  checked one file alone : {single_seconds * 1000:6.2f} ms per file")
    print(f"  value rules via pandera: {pandera_seconds * per_file:6.2f} ms per file "
          f"(the same rules through the sections' pandera schemas, checked together)")
    print(f"pandas.read_excel openpyxl: {peer:6.2f} ms per file (reading only)")
    print(f"ratio                     : {peer / ours:6.1f}x faster")


if __name__ == "__main__":
    main()
