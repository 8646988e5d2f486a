"""The label on every piece of sample data (kept apart so that showing it loads nothing)."""

NOTICE = ("Synthetic sample data made by ClusterBook for demonstration and training. "
          "Every place, name and number is invented; these are not campaign results.")
