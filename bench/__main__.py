"""Run one benchmark: ``.venv/bin/python -m bench <name> [options]``; ``--list`` shows them;
``--smoke`` runs every one of them on tiny data (CI: .ci/bench-smoke)."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Not run by the smoke mode: the topology run has its own CI step (.ci/topology).
SMOKE_SKIPS = {"topology": "run by .ci/topology"}
# projects needs the data projects_data makes (and inbox, later, empties those tables).
SMOKE_FIRST = ("projects_data", "projects")


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def smoke(admin_url: str) -> int:
    """Every benchmark with ``--smoke`` against one fresh PostgreSQL database (migrated and
    loaded once), each in its own process; 1 when any of them fails or prints no figure."""
    import psycopg

    bin_dir = Path(sys.executable).parent
    name = f"luvat_bench_smoke_{os.getpid()}"
    parts = urlsplit(admin_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BENCH_PREPARED": "1",
        "BENCH_ADMIN_URL": admin_url,
        "LUVAT_LOG_LEVEL": "WARNING",
    }
    failed: list[str] = []
    began = time.monotonic()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        for step in (("migrate", "-v0"), ("load-catalogue",)):
            subprocess.run(
                [str(bin_dir / "luvat"), *step], env=env, check=True, stdout=subprocess.DEVNULL
            )
        order = [*SMOKE_FIRST, *(n for n in available() if n not in SMOKE_FIRST)]
        for bench in order:
            if bench in SMOKE_SKIPS:
                print(f"== bench {bench}: skipped ({SMOKE_SKIPS[bench]})", flush=True)
                continue
            print(f"== bench {bench} --smoke", flush=True)
            t0 = time.monotonic()
            extra = ["--database", f"{name}_inbox"] if bench == "inbox" else []
            run = subprocess.run(
                [sys.executable, "-m", "bench", bench, "--smoke", *extra],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=180,
            )
            print(run.stdout, end="", flush=True)
            figures = [line for line in run.stdout.splitlines() if ": " in line]
            if run.returncode != 0 or not figures:
                failed.append(bench)
                print(f"BENCH FAILED: {bench} (exit {run.returncode})", flush=True)
            else:
                print(f"-- {bench}: ok in {time.monotonic() - t0:.1f} s", flush=True)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for db in (name, f"{name}_inbox"):
                admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    total = time.monotonic() - began
    if failed:
        print(f"bench smoke: FAILED {', '.join(failed)} ({total:.0f} s)", flush=True)
        return 1
    print(f"bench smoke: all ok ({total:.0f} s)", flush=True)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", nargs="?", help="benchmark to run")
    parser.add_argument("--list", action="store_true", help="list the benchmarks")
    args, rest = parser.parse_known_args()
    if args.name is None and "--smoke" in rest:
        admin = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        sys.exit(smoke(admin))
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
