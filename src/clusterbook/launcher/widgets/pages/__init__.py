"""One widget per launcher page."""
