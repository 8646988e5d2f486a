"""ClusterBook's jobs: one module per job, between the files and the people who start them.

``flags``, ``databook``, ``validate``, ``merge``, ``feedback``, ``ccpm`` (report, scores, check,
overview), ``templates`` and ``demo``. The command line, the launcher and the Excel buttons call
jobs only; a job reads and writes files through the layers below it (forms, excel, templates,
reports) and leaves the rules to ``clusterbook.domain``. ``progress`` holds what every job
shares: progress reports and cancelling.
"""
