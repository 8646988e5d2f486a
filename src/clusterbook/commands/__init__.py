"""One module per `clusterbook` subcommand; each exposes ``add_parser(subparsers)``."""
