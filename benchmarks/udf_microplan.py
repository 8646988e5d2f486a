"""MICROPLAN_CHECK on a filled microplan, beside its peers.

    python benchmarks/udf_microplan.py [--repeat 100]

Excel recalculates the live check as the officer types, so one call must take a few
milliseconds. The arguments are the blocks of the template's Checks formula, read back from a
real filled template (the 501-row tables as Excel passes them: a few filled rows, the rest
None). Prints, from one run on the same book:
- MICROPLAN_CHECK given the blocks as values (goal: a few milliseconds);
- MICROPLAN_CHECK given the blocks as ranges (what Excel passes; COM time not included);
- the domain reading the full blocks without dropping their empty rows (peer: what the
  function would cost without it);
- `clusterbook validate`'s job on the saved file, reading included (peer: the Validate
  button and the command).
Each figure is the best of ``--repeat`` runs, with the median beside it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# The tests' helpers shape values as Excel passes them.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from timing import timings

from clusterbook.domain.checks import check_documents
from clusterbook.domain.submission import document_from_blocks
from clusterbook.forms import MICROPLAN
from clusterbook.jobs.validate import ValidateRequest, validate_paths
from clusterbook.sample.submissions import low_performing_codes, microplan_data, with_mistake
from clusterbook.templates.form_book import check_formula, write_form
from clusterbook.udfs import MICROPLAN_CHECK
from excel_shapes import ExcelRange, excel_range, formula_ranges, range_values, sheet_cells

GOAL_MS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="runs of each (best is shown)")
    args = parser.parse_args()

    data, _ = with_mistake(microplan_data(low_performing_codes()[0]), "bad-phone")
    with tempfile.TemporaryDirectory() as folder:
        path = write_form(Path(folder) / "plan.xlsx", MICROPLAN, data)
        cells = sheet_cells(path)
        ranges = formula_ranges(check_formula(MICROPLAN))
        values = [excel_range(range_values(cells, sheet, ref)) for sheet, ref in ranges]
        as_ranges = [ExcelRange(path.name, sheet, ref, range_values(cells, sheet, ref))
                     for sheet, ref in ranges]
        filled = sum(1 for block in values for row in block if any(v is not None for v in row))
        print(f"A filled microplan: {sum(map(len, values)):,} rows in 8 blocks, "
              f"{filled} of them filled")

        rows, best, median = timings(lambda: MICROPLAN_CHECK(*values), args.repeat)
        verdict = "within" if best <= GOAL_MS else "ABOVE"
        print(f"MICROPLAN_CHECK, blocks as values:  {best:7.2f} ms (median {median:.2f}) - "
              f"{verdict} the {GOAL_MS:g} ms goal; {len(rows)} finding(s)")
        _, best, median = timings(lambda: MICROPLAN_CHECK(*as_ranges), args.repeat)
        print(f"MICROPLAN_CHECK, blocks as ranges:  {best:7.2f} ms (median {median:.2f})")
        _, best, median = timings(
            lambda: check_documents([document_from_blocks(MICROPLAN, values)]), args.repeat)
        print(f"peer: domain on the full blocks:    {best:7.2f} ms (median {median:.2f})")
        _, best, median = timings(lambda: validate_paths(ValidateRequest([path])),
                                  max(10, args.repeat // 10))
        print(f"peer: validate the saved file:      {best:7.2f} ms (median {median:.2f})")


if __name__ == "__main__":
    main()
