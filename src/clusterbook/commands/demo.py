"""`clusterbook demo`: the whole tool on the built-in sample region."""

from __future__ import annotations

import argparse
from pathlib import Path

from clusterbook.commands.terminal import progress_bar


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run every job on the built-in sample region (synthetic data)",
        description="Write the sample region's data (4 provinces, 24 districts, 928 clusters, "
                    "12 rounds; synthetic) and run every ClusterBook job on it, saying what "
                    "each file is.")
    parser.add_argument("--out", type=Path, default=Path("clusterbook-demo"), metavar="DIR",
                        help="folder to write into (default: ./clusterbook-demo): a new or "
                             "empty folder, or an earlier demo's (its files you changed are "
                             "kept as 'NAME (old).EXT'); a folder with other files is refused")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.jobs.demo import JOB, DemoRequest, run_demo
    from clusterbook.outputs import check_own_folder
    from clusterbook.sample.region import NOTICE

    check_own_folder(args.out, job=JOB)
    print(f"ClusterBook demo in {args.out}/ — {NOTICE}")
    with progress_bar() as bar:
        def progress(done: int, total: int, title: str) -> None:
            if bar is None:
                if done < total:
                    print(f"· {title}...")
            else:
                bar(done, total, title)

        artifacts = run_demo(DemoRequest(args.out), progress).artifacts
    print("\nWrote:")
    width = max(len(str(artifact.path.relative_to(args.out))) for artifact in artifacts)
    for artifact in artifacts:
        print(f"  {artifact.path.relative_to(args.out)!s:<{width}}  {artifact.description}")
    return 0
