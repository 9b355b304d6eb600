"""The screenshot comparison itself: within tolerance passes, a real change fails, a missing
baseline fails under CI and is written otherwise, and LUVAT_UPDATE_BASELINES rewrites."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.browser.visual import compare_with_baseline


def png(changed_pixels: int = 0, size: tuple[int, int] = (100, 100)) -> bytes:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for n in range(changed_pixels):
        draw.point((n % size[0], n // size[0]), fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_update(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LUVAT_UPDATE_BASELINES", raising=False)
    monkeypatch.delenv("CI", raising=False)


def test_same_and_nearly_same_pass_and_a_change_fails(tmp_path: Path) -> None:
    (tmp_path / "page.png").write_bytes(png())
    assert compare_with_baseline("page", png(), tmp_path)
    assert compare_with_baseline("page", png(changed_pixels=10), tmp_path)  # 0.1 %
    result = compare_with_baseline("page", png(changed_pixels=11), tmp_path)
    assert not result and "0.110% of pixels differ" in str(result.problem)
    assert (tmp_path / "page.actual.png").exists()


def test_a_different_size_fails(tmp_path: Path) -> None:
    (tmp_path / "page.png").write_bytes(png())
    assert not compare_with_baseline("page", png(size=(100, 101)), tmp_path)


def test_missing_baseline_fails_in_ci_and_is_written_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    assert not compare_with_baseline("new", png(), tmp_path)
    assert not (tmp_path / "new.png").exists()
    monkeypatch.delenv("CI")
    assert compare_with_baseline("new", png(), tmp_path)
    assert (tmp_path / "new.png").exists()


def test_update_rewrites_the_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "page.png").write_bytes(png())
    monkeypatch.setenv("LUVAT_UPDATE_BASELINES", "1")
    assert compare_with_baseline("page", png(changed_pixels=500), tmp_path)
    monkeypatch.delenv("LUVAT_UPDATE_BASELINES")
    assert compare_with_baseline("page", png(changed_pixels=500), tmp_path)
