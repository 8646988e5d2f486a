"""What a book prints: LibreOffice renders it to PDF, pdftotext reads the pages back.

Every ClusterBook sheet prints the footer 'SHEET ... Page n of N', so each page is counted
under the sheet whose name its footer carries.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from clusterbook.excel.libreoffice import to_pdf
from conftest import require_program

_FOOTER = re.compile(r"^\s*(\S.*?)\s+Page \d+ of \d+\s*$", re.M)


@dataclass(frozen=True)
class Printed:
    """The text of every printed page, and the sheet each page belongs to."""

    pages: list[str]
    page_sheets: list[str]

    @property
    def text(self) -> str:
        return "\f".join(self.pages)

    @property
    def sheets(self) -> Counter[str]:
        """Pages per sheet, in the order the sheets print."""
        return Counter(self.page_sheets)

    def of(self, sheet: str) -> list[str]:
        """The pages ``sheet`` prints."""
        return [page for page, name in zip(self.pages, self.page_sheets, strict=True)
                if name == sheet]


def printed(book: Path, out_dir: Path) -> Printed:
    """Render ``book`` as LibreOffice prints it and read its pages back."""
    require_program("soffice")
    require_program("pdftotext")
    pdf = to_pdf(book, out_dir)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    footers = [_FOOTER.search(page) for page in pages]
    assert all(footers), "every printed page carries its sheet's footer"
    return Printed(pages, [footer.group(1) for footer in footers if footer])
