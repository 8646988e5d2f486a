"""How quickly a padded XML bomb is refused, beside checking the good microplan it was made from.

    python benchmarks/file_bomb.py [--repeat 20]

The bomb is a filled microplan whose Team sheet is a billion-laughs DOCTYPE hidden behind
20 kB of comment (the tests' ``make_padded_xml_bomb``). ``validate_paths`` must refuse it
without expanding a single entity: goal well under two seconds, and never slower than reading
and checking the good file (the peer, in the same run). Prints the best and the median of
``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# The tests make the bomb; the same bytes are timed here.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from timing import timings

from clusterbook.jobs.validate import ValidateRequest, validate_paths
from corpus import microplan, write
from test_validation_files import make_padded_xml_bomb

GOAL_MS = 2000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        good = write(folder, "good.xlsx", microplan())
        bomb = make_padded_xml_bomb(folder, good)
        refuse, check = ValidateRequest([bomb]), ValidateRequest([good])
        refused, ours, ours_median = timings(lambda: validate_paths(refuse), args.repeat)
        checked, peer, peer_median = timings(lambda: validate_paths(check), args.repeat)
    assert refused.findings[0].rule == "file-bomb", refused.findings
    assert checked.files[0].submission is not None
    print(f"padded XML bomb refused : {ours:7.1f} ms (median {ours_median:.1f} ms; "
          f"goal under {GOAL_MS:.0f} ms)")
    print(f"good microplan checked : {peer:7.1f} ms (median {peer_median:.1f} ms)")


if __name__ == "__main__":
    main()
