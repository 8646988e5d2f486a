"""`python -m clusterbook` runs the command line."""

import sys

from clusterbook.cli import main

sys.exit(main())
