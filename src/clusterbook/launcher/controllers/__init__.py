"""Page logic without Qt: each controller holds a page's state and makes its jobs."""
