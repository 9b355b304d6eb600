"""Run one benchmark: ``.venv/bin/python -m bench <name> [options]``; ``--list`` shows them."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", nargs="?", help="benchmark to run")
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    args, rest = parser.parse_known_args()
    if args.list or not args.name:
        for name in available():
            module = importlib.import_module(f"bench.{name}")
            print(f"{name}: {(module.__doc__ or '').strip().splitlines()[0]}")
        return
    if args.name not in available():
        sys.exit(f"unknown benchmark {args.name!r}; choose from: {', '.join(available())}")
    module = importlib.import_module(f"bench.{args.name}")
    module.main(rest)


if __name__ == "__main__":
    main()
