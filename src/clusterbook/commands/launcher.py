"""`clusterbook launcher`: open the window (the same as `clusterbook-launcher`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from clusterbook.launcher.app import page_list, page_name, window_size

    parser = subparsers.add_parser(
        "launcher", help="open the ClusterBook window (every job a click away)",
        description="Open the ClusterBook launcher window.")
    parser.add_argument("--demo", action="store_true",
                        help="load the built-in sample region (synthetic) first")
    parser.add_argument("--page", metavar="NAME", type=page_name,
                        help=f"open on this page: {page_list()}")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="render the window to a PNG file and exit (a file there is kept "
                             "as 'NAME (old).png')")
    parser.add_argument("--size", metavar="WxH", type=window_size,
                        help="window size in pixels, e.g. 1280x800")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from clusterbook.launcher.app import main

    argv = [*(["--demo"] if args.demo else []), *(["--page", args.page] if args.page else []),
            *(["--screenshot", str(args.screenshot)] if args.screenshot else []),
            *(["--size", args.size] if args.size else [])]
    return main(argv, prog=args.prog)
