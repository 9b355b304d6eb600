from pathlib import Path

from luvat.config.env import VARIABLES, render_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_configuration_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/configuration.md is stale: run `luvat config-docs --write docs/configuration.md`"
    )


def test_variable_names_are_unique():
    names = [var.name for var in VARIABLES]
    assert sorted(names) == sorted(set(names))


def test_every_variable_has_help_and_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for var in VARIABLES:
        assert len(var.help) > 20, var.name
        assert f"`{var.name}`" in text


def test_settings_read_only_declared_variables():
    """Every os.environ read in the package goes through env.py's declared list."""
    src = Path(__file__).resolve().parent.parent / "src" / "luvat"
    offenders = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if ("os.environ.get(" in path.read_text() or "os.getenv(" in path.read_text())
        and path.name != "env.py"
    ]
    assert offenders == []
