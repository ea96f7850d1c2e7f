"""The ``commentary`` command: one subcommand per module, each registering itself."""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that provide a subcommand through ``register(subparsers)``; each sets
# ``func`` on its parser, a callable taking the parsed arguments and returning an exit code.
COMMAND_MODULES: tuple[str, ...] = (
    "commentary.checks",
    "commentary.scaffold",
    "commentary.importer.command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="commentary", description="Kommentar-Archiv: import, scaffold and check articles.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
