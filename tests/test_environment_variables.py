import pytest
from hypothesis import given
from hypothesis import strategies as st

from luvat.config.env import INSECURE_DEV_SECRET_KEY, ConfigError, Environment


def test_dev_defaults():
    env = Environment({})
    assert env.string("LUVAT_ENV") == "dev"
    assert env.boolean("LUVAT_DEBUG") is True
    assert env.boolean("LUVAT_DEMO") is True
    assert env.string("LUVAT_SECRET_KEY") == INSECURE_DEV_SECRET_KEY


def test_production_defaults_are_safe():
    env = Environment({"LUVAT_ENV": "production"})
    assert env.boolean("LUVAT_DEBUG") is False
    assert env.boolean("LUVAT_DEMO") is False
    assert env.boolean("LUVAT_HTTPS") is True
    assert env.items("LUVAT_ALLOWED_HOSTS") == []
    assert env.string("LUVAT_LOG_FORMAT") == "json"


def test_explicit_value_wins_over_production_default():
    env = Environment({"LUVAT_ENV": "production", "LUVAT_DEBUG": "yes"})
    assert env.boolean("LUVAT_DEBUG") is True


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LUVAT_ENV", "staging", "not one of: dev, production"),
        ("LUVAT_DEBUG", "maybe", "not a yes/no value"),
        ("LUVAT_SERVE_THREADS", "many", "not a whole number"),
        ("LUVAT_WORKER_POLL_SECONDS", "soon", "not a number"),
        ("LUVAT_LOG_FORMAT", "xml", "not one of"),
    ],
)
def test_bad_values_give_one_clear_line(name, value, message):
    with pytest.raises(ConfigError) as raised:
        env = Environment({name: value})
        {
            "LUVAT_ENV": env.string,
            "LUVAT_DEBUG": env.boolean,
            "LUVAT_SERVE_THREADS": env.integer,
            "LUVAT_WORKER_POLL_SECONDS": env.number,
            "LUVAT_LOG_FORMAT": env.string,
        }[name](name)
    text = str(raised.value)
    assert message in text and name in text and "\n" not in text


@given(st.text(max_size=20))
def test_boolean_parsing_never_guesses(value):
    env = Environment({"LUVAT_DEMO": value})
    normal = value.strip().lower()
    if normal in {"1", "true", "yes", "on"}:
        assert env.boolean("LUVAT_DEMO") is True
    elif normal in {"0", "false", "no", "off", ""}:
        assert env.boolean("LUVAT_DEMO") is False
    else:
        with pytest.raises(ConfigError):
            env.boolean("LUVAT_DEMO")
