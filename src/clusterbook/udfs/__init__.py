"""ClusterBook's worksheet functions for Excel (xlwings UDFs, Windows).

With ``UDF MODULES`` set to ``clusterbook.udfs`` (``clusterbook excel setup`` sets it), xlwings
imports this package and registers every function it exposes under the category
"ClusterBook". xlwings looks only at the attributes of the module it is given, so functions
live in submodules by subject and are re-exported here.
"""

from __future__ import annotations

from clusterbook.udfs.flags import CLUSTER_FLAGS, CLUSTER_STATUS, PCA_BENCHMARK

__all__ = ["CLUSTER_FLAGS", "CLUSTER_STATUS", "PCA_BENCHMARK"]
