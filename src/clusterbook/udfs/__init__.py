"""ClusterBook's worksheet functions for Excel (xlwings UDFs, Windows).

With ``UDF MODULES`` set to ``clusterbook.udfs`` (``clusterbook excel setup`` sets it), xlwings
imports this package and registers every function it exposes under the category
"ClusterBook". xlwings looks only at the attributes of the module it is given, so functions
live in submodules by subject and are re-exported here.
"""

from __future__ import annotations

from clusterbook.udfs.ccpm import CCPM_SCORE, CCPM_STATUS
from clusterbook.udfs.flags import CLUSTER_FLAGS, CLUSTER_STATUS, PCA_BENCHMARK
from clusterbook.udfs.microplan import MICROPLAN_CHECK

__all__ = ["CCPM_SCORE", "CCPM_STATUS", "CLUSTER_FLAGS", "CLUSTER_STATUS", "MICROPLAN_CHECK",
           "PCA_BENCHMARK"]
