"""luvat.web.proxies: forwarded headers honoured only from trusted peers, CIDR included."""

from __future__ import annotations

import pytest

from luvat.web.proxies import TrustedProxyMiddleware, forwarded_client, parse_networks


def run(trusted, **environ):
    seen = {}

    def app(env, start_response):
        seen.update(env)
        return [b""]

    base = {"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "HTTP_HOST": "internal"}
    TrustedProxyMiddleware(app, trusted)({**base, **environ}, lambda *a: None)
    return seen


FORWARDED = {
    "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.1.2.3",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "luvat.example",
}


def test_a_trusted_network_sets_client_scheme_and_host_and_the_headers_go():
    seen = run(["10.0.0.0/8", "127.0.0.1"], **FORWARDED)
    assert seen["REMOTE_ADDR"] == "203.0.113.7"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "luvat.example"
    assert not any(key.startswith("HTTP_X_FORWARDED") for key in seen)


@pytest.mark.parametrize("trusted", [[], ["10.0.0.0/8"], ["::2"]])
def test_an_untrusted_peer_cannot_set_anything_and_its_headers_are_dropped(trusted):
    seen = run(trusted, **FORWARDED)
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"], seen["HTTP_HOST"]) == (
        "127.0.0.1",
        "http",
        "internal",
    )
    assert not any(key.startswith("HTTP_X_FORWARDED") for key in seen)


def test_the_client_is_the_first_untrusted_hop_from_the_right():
    networks = parse_networks(["10.0.0.0/8"])
    # The client wrote "1.2.3.4" itself; the proxy appended what it saw.
    assert forwarded_client("10.0.0.1", "1.2.3.4, 198.51.100.5, 10.0.0.9", networks) == (
        "198.51.100.5"
    )
    assert forwarded_client("10.0.0.1", "garbage", networks) == "10.0.0.1"
    assert forwarded_client("192.0.2.1", "1.2.3.4", networks) == "192.0.2.1"


def test_a_bad_entry_in_the_setting_is_an_error():
    with pytest.raises(ValueError, match="not-an-address"):
        parse_networks(["not-an-address"])
