"""A cluster can leave the list while below the benchmark (the benchmark above the exit
benchmark): it is then Watch, and its reason is the Watch reason."""

from __future__ import annotations

import pandas as pd

from clusterbook import classify_clusters


def test_leaving_the_list_while_below_the_benchmark_reads_as_watch():
    rows = [{"Province": "P", "District": "D", "Cluster code": code, "Round": f"R{index + 1}",
             "PCA": value, "Refusal rate": 0}
            for code, values in {"A": [80, 80, 80, 96, 96, 92],
                                 "B": [96, 96, 96, 96, 96, 92]}.items()
            for index, value in enumerate(values)]
    flags = classify_clusters(pd.DataFrame(rows), exit_benchmark=90, benchmark=95)
    last = flags[flags["round"] == "R6"].set_index("cluster_code")
    assert last.loc["A", "status"] == last.loc["B", "status"] == "Watch"
    assert last.loc["A", "exited_round"] == "R6"
    # The same words for both: leaving is said only of a cluster that is On track.
    assert last.loc["A", "reasons"] == last.loc["B", "reasons"] == "PCA below benchmark x1"
