"""The launcher's Qt widgets; all logic lives in ``clusterbook.launcher.controllers``."""
