"""`clusterbook demo`: the whole tool on the built-in sample region."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run every job on the built-in sample region (synthetic data)",
        description="Write the sample region's data (4 provinces, 24 districts, 928 clusters, "
                    "12 rounds; synthetic) and run every ClusterBook job on it, saying what "
                    "each file is.")
    parser.add_argument("--out", type=Path, default=Path("clusterbook-demo"), metavar="DIR",
                        help="folder to write into (default: ./clusterbook-demo)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.demo import run_demo
    from clusterbook.sample.region import NOTICE

    print(f"ClusterBook demo in {args.out}/ — {NOTICE}")
    artifacts = run_demo(args.out, progress=lambda title: print(f"· {title}..."))
    print("\nWrote:")
    width = max(len(str(artifact.path.relative_to(args.out))) for artifact in artifacts)
    for artifact in artifacts:
        print(f"  {artifact.path.relative_to(args.out)!s:<{width}}  {artifact.description}")
    return 0
