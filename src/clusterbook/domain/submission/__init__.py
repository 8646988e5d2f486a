"""A filled form as the checks see it: each section's values and the cell each came from.

Three producers make the same :class:`Document`, so that one set of checks serves them all:

- the file reader (``clusterbook.excel.forms_reader``) hands every sheet of a workbook over as a
  :class:`Grid` to :func:`documents_from_workbook`;
- a live check formula in Excel hands every section over as a block of cells laid out as
  ``clusterbook.forms.section_block`` says, to :func:`document_from_blocks`;
- the merge reads documents back as DataFrames with provenance (:func:`section_frames`).

Users change forms: they insert and delete rows, rename headers, merge cells, add sheets and
copy the sheet set to hold several clusters in one workbook. Values are found by their labels
and headers first and by the template's layout second; what was noticed on the way is kept as
:class:`Note` objects, which the checks turn into findings.
"""

from clusterbook.domain.submission.blocks import blocks_from_data, document_from_blocks
from clusterbook.domain.submission.frames import PROVENANCE, as_date, section_frames
from clusterbook.domain.submission.labels import label_key, match_field
from clusterbook.domain.submission.model import Document, Grid, Note, Record, Table, sheet_name
from clusterbook.domain.submission.workbook import (
    REVIEW_BOOK_ID,
    documents_from_workbook,
    identify_form,
    read_sections,
    split_groups,
)
from clusterbook.forms.cells import column_letter

__all__ = ["PROVENANCE", "REVIEW_BOOK_ID", "Document", "Grid", "Note", "Record", "Table", "as_date",
           "blocks_from_data", "column_letter", "document_from_blocks",
           "documents_from_workbook", "identify_form", "label_key", "match_field",
           "read_sections", "section_frames", "sheet_name", "split_groups"]
