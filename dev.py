#!/usr/bin/env python3
"""Bootstrap for a fresh clone: needs only Python >= 3.11.

    python3 dev.py run    # .venv + migrations + demo data + server with in-process worker
    python3 dev.py test   # .venv with test tools + the whole test suite

Creates ``.venv`` on first use and reinstalls only when a lock file changes.
Extra arguments go to the server (``run --port 8001``) or to pytest (``test -k audit``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
LOCKS = {"main": ROOT / "requirements" / "main.lock", "dev": ROOT / "requirements" / "dev.lock"}


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fingerprint(lock: Path) -> str:
    digest = hashlib.sha256(lock.read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def stamp(name: str) -> Path:
    return VENV / f".luvat-installed-{name}"


def installed(name: str) -> bool:
    path = stamp(name)
    return path.exists() and path.read_text() == fingerprint(LOCKS[name])


def ensure_venv(profile: str) -> None:
    """Create .venv and install the lock of `profile` (dev includes main)."""
    if sys.version_info < (3, 11):  # noqa: UP036  (this script may be run by an old Python)
        sys.exit("Luvat needs Python 3.11 or newer; this is " + sys.version.split()[0])
    if installed(profile) or (profile == "main" and installed("dev")):
        return
    if not (BIN / "python").exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    say(f"installing locked dependencies ({LOCKS[profile].name}); first time takes a minute")
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--require-hashes", "-r", str(LOCKS[profile])], check=True)
    subprocess.run([*pip, "install", "--no-deps", "-e", str(ROOT)], check=True)
    for other in LOCKS:
        stamp(other).unlink(missing_ok=True)
    stamp(profile).write_text(fingerprint(LOCKS[profile]))


def luvat(*args: str) -> None:
    result = subprocess.run([str(BIN / "luvat"), *args], cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def run(args: list[str]) -> None:
    ensure_venv("main")
    luvat("migrate")
    luvat("load-demo")
    os.execv(str(BIN / "luvat"), [str(BIN / "luvat"), "serve", *args])  # noqa: S606


def test(args: list[str]) -> None:
    ensure_venv("dev")
    os.chdir(ROOT)
    if not any(arg == "-n" or arg.startswith(("-n=", "--numprocesses")) for arg in args):
        # One test process per CPU; `python3 dev.py test -n 0` runs them in this process.
        args = ["-n", "auto", *args]
    os.execv(str(BIN / "python"), [str(BIN / "python"), "-m", "pytest", *args])  # noqa: S606


def main() -> None:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
