"""The rules of ClusterBook, once: pure pandas and the standard library, no file access.

Nothing here imports an Excel library, Qt or any other part of ClusterBook that touches files;
``tests/test_architecture.py`` fails when something does.
"""
