"""How long the campaign data book takes to build, and LibreOffice to recalculate it in full.

Prints, side by side in one run: the time to build the blank template and the sample region's
filled book (XlsxWriter); LibreOffice's time to open, recalculate every formula and save that
book as written (sized to its 928 clusters x 12 rounds plus headroom), the same data in the
full 2,000 x 36 room every book had before books were sized, and the blank template; and as
the peer figure LibreOffice's time to open and save the flags book of the same data (values,
no formulas) - so the ratios are the cost of the live formulas. CPU seconds (this process, or
LibreOffice's) are printed beside wall seconds: the machine may be shared.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from clusterbook.domain.rules import classify, classify_clusters
from clusterbook.domain.table import prepare_round_table
from clusterbook.excel.libreoffice import recalculate
from clusterbook.forms.databook import MAX_CLUSTERS, MAX_ROUNDS, DataBookRoom, room_for
from clusterbook.jobs.flags import write_flags
from clusterbook.sample.region import sample_region
from clusterbook.templates import build_templates
from clusterbook.templates.databook import write_databook
from clusterbook.templates.databook_content import databook_content


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, job: Callable[[], Any], *, child: bool = False) -> float:
    wall, cpu, child_cpu = time.perf_counter(), time.process_time(), children_cpu()
    job()
    wall = time.perf_counter() - wall
    spent = (children_cpu() - child_cpu) if child else (time.process_time() - cpu)
    print(f"{label:<58} {wall:8.2f} s wall {spent:8.2f} s CPU")
    return spent


def main() -> None:
    region = sample_region()
    table = prepare_round_table(region.rounds)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        timed("build every template (microplan, action plan, data book)",
              lambda: build_templates(root / "templates"))
        book = root / "in" / "databook.xlsx"
        content = databook_content(table, clusters=region.clusters)
        room = room_for(len(content.clusters), len(content.rounds))
        timed(f"fill the data book: 928 clusters x 12 rounds, room {room.clusters} x "
              f"{room.rounds}", lambda: write_databook(book, content))
        full = root / "full" / "databook.xlsx"
        timed(f"fill the same data in the full room {MAX_CLUSTERS} x {MAX_ROUNDS}",
              lambda: write_databook(full, content,
                                     room=DataBookRoom(MAX_CLUSTERS, MAX_ROUNDS)))
        classified = classify(table)
        flags_book = root / "in" / "flags.xlsx"
        timed("engine: classify_clusters on the same data", lambda: classify_clusters(table))
        write_flags(classified.flags, flags_book, parameters=classified.parameters)
        formulas = timed("LibreOffice: open, recalculate, save the data book",
                         lambda: recalculate(book, root / "out"), child=True)
        before = timed(f"LibreOffice: the same in the full {MAX_CLUSTERS} x {MAX_ROUNDS} room",
                       lambda: recalculate(full, root / "out-full"), child=True)
        values = timed("peer: LibreOffice open and save the flags book (values)",
                       lambda: recalculate(flags_book, root / "out"), child=True)
        blank = timed("LibreOffice: open, recalculate, save the blank template",
                      lambda: recalculate(root / "templates" / "campaign-databook.xlsx",
                                          root / "out"), child=True)
        print(f"live formulas cost {formulas / values:.1f}x the values-only flags book "
              f"(CPU), {before / values:.1f}x in the full room; the blank template "
              f"{blank / values:.1f}x")


if __name__ == "__main__":
    main()
