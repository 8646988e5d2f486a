"""The ClusterBook launcher: every job a click away.

``controllers`` hold the logic and never import Qt, so they are tested without a screen;
``widgets`` are the Qt surface over them. Heavy modules (pandas, the engine) load only when a
job runs, so the window appears at once.
"""
