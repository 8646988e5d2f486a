"""Builds the per-user Windows installer of ClusterBook on any machine with Python and NSIS.

The installer carries a real CPython (the Windows embeddable distribution), ClusterBook and
its dependencies unpacked from Windows wheels, and a small setup script that the bundled
interpreter runs after the files are copied (Excel add-in, ``xlwings.conf``, blank templates).
Every piece is pinned by version and sha256 in ``installer/manifest.json``.
"""

from __future__ import annotations


class BuildError(Exception):
    """A build step cannot go on; the message says what is missing and how to get it."""
