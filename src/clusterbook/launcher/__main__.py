"""`python -m clusterbook.launcher` opens the launcher."""

import sys

from clusterbook.launcher.app import main

sys.exit(main())
