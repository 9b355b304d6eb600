"""Screenshots compared with committed baselines, and the pages they show, with frozen data.

A baseline is ``tests/browser/baselines/<name>.png``. ``LUVAT_UPDATE_BASELINES=1`` rewrites
them; a missing baseline fails under CI (``CI=true``) and is written otherwise, so that a new page
gets its baseline from a developer who has looked at it, never from CI."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops

BASELINES = Path(__file__).parent / "baselines"
# At most this share of the pixels may differ (anti-aliasing of text between runs).
TOLERANCE = 0.001
# A channel difference below this is rendering noise, not a change.
NOISE = 16
# The moment every visual test runs at: dates and deadlines on the pages stay the same.
FROZEN_NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
# Nothing moves and no caret blinks; the Django debug toolbar is not in the test settings.
SCREENSHOT_OPTIONS: dict[str, Any] = {"animations": "disabled", "caret": "hide", "full_page": True}


def fixed_references() -> Iterator[str]:
    """Project references (normally random) that are the same on every run."""
    return (f"H-2026-VIS{n:03d}" for n in itertools.count(1))


@dataclass
class Comparison:
    name: str
    problem: str | None

    def __bool__(self) -> bool:
        return self.problem is None


def differing_share(actual: Image.Image, expected: Image.Image) -> float:
    """The share of pixels that differ by more than rendering noise in any channel."""
    difference = ImageChops.difference(actual.convert("RGB"), expected.convert("RGB"))
    mask = difference.convert("L").point(lambda value: 255 if value > NOISE else 0)
    changed = mask.histogram()[255]
    return changed / (actual.width * actual.height)


def compare_with_baseline(name: str, png: bytes, directory: Path = BASELINES) -> Comparison:
    """Compare a screenshot with its baseline, writing the baseline when the rules allow."""
    directory.mkdir(exist_ok=True)
    baseline = directory / f"{name}.png"
    actual_path = directory / f"{name}.actual.png"
    if os.environ.get("LUVAT_UPDATE_BASELINES") == "1":
        baseline.write_bytes(png)
        return Comparison(name, None)
    if not baseline.exists():
        if os.environ.get("CI", "").lower() == "true":
            return Comparison(
                name, f"no baseline {baseline.name}; write it with LUVAT_UPDATE_BASELINES=1"
            )
        baseline.write_bytes(png)
        return Comparison(name, None)
    actual_path.write_bytes(png)
    with Image.open(actual_path) as actual, Image.open(baseline) as expected:
        if actual.size != expected.size:
            return Comparison(
                name, f"size {actual.size} != baseline {expected.size} ({actual_path.name})"
            )
        share = differing_share(actual, expected)
    if share > TOLERANCE:
        return Comparison(
            name, f"{share:.3%} of pixels differ (> {TOLERANCE:.1%}); see {actual_path.name}"
        )
    actual_path.unlink()
    return Comparison(name, None)
