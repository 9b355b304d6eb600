"""The import-layer check: a context may import only the layers below it (the contract in
pyproject.toml, the layers in docs/architecture.md). It fails when a module imports a context
above it, unless the import is one of the listed exceptions that are still to go."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _contract() -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    [contract] = config["tool"]["importlinter"]["contracts"]
    return dict(contract)


def _lint(config: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]
    if config is not None:
        command += ["--config", str(config)]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_no_module_imports_a_context_above_it() -> None:
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_check_refuses_an_upward_import(tmp_path: Path) -> None:
    """Without its listed exceptions the same contract is broken: the check does bite."""
    contract = _contract()
    layers = ", ".join(f'"{layer}"' for layer in contract["layers"])
    config = tmp_path / "importlinter.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "luvat"\n\n'
        '[[tool.importlinter.contracts]]\nname = "layers"\ntype = "layers"\n'
        f"layers = [{layers}]\n"
    )
    result = _lint(config)
    assert result.returncode != 0
    assert "luvat.projects is not allowed to import luvat.integrations" in result.stdout


def test_the_documented_layers_are_the_checked_ones() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    for layer in _contract()["layers"]:
        for name in layer.split("|"):
            assert f"`{name.strip()}`" in text, f"{name.strip()} is not in docs/architecture.md"
