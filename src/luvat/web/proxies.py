"""Forwarded client address, scheme and host, honoured only from trusted proxies.

``LUVAT_TRUSTED_PROXIES`` lists the reverse proxies (addresses or CIDR networks). A WSGI
middleware (:class:`TrustedProxyMiddleware`, wrapped around the application in
:mod:`luvat.config.wsgi`, so it applies under ``luvat serve``, gunicorn or any other WSGI
server) rewrites ``REMOTE_ADDR``, ``wsgi.url_scheme`` and ``HTTP_HOST`` from the
``X-Forwarded-*`` headers when, and only when, the peer is trusted; the headers are removed
from every request afterwards, so nothing later (Django's ``SECURE_PROXY_SSL_HEADER``, our
code) can be fooled by a client that sets them itself.

Kept as our own code (about 60 lines): waitress's ``trusted_proxy`` takes one address (no
list, no network) and gunicorn's ``forwarded_allow_ips`` sets the scheme but never the client
address, so neither alone covers every server Luvat runs under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Iterator
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)


def parse_networks(items: Iterable[str]) -> tuple[Network, ...]:
    """The networks of ``items`` (``10.0.0.5``, ``10.0.0.0/8``, ``::1``); ValueError on junk."""
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address: str, networks: Iterable[Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def _last(value: str) -> str:
    return value.rsplit(",", 1)[-1].strip()


def forwarded_client(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client address: walk X-Forwarded-For from the right past trusted proxies."""
    if not is_trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    client = remote_addr
    for hop in reversed(hops):
        parsed = _address(hop)
        if parsed is None:
            break  # a garbled entry: stop at the last address we could trust
        client = str(parsed)
        if not any(parsed in network for network in networks):
            break
    return client


class TrustedProxyMiddleware:
    """WSGI middleware: honour X-Forwarded-For/-Proto/-Host only from a trusted peer."""

    def __init__(self, app: Callable[..., Any], trusted: Iterable[str]) -> None:
        self.app = app
        self.networks = parse_networks(trusted)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        remote = str(environ.get("REMOTE_ADDR", ""))
        if self.networks and is_trusted(remote, self.networks):
            forwarded_for = str(environ.get("HTTP_X_FORWARDED_FOR", ""))
            if forwarded_for:
                environ["REMOTE_ADDR"] = forwarded_client(remote, forwarded_for, self.networks)
            proto = _last(str(environ.get("HTTP_X_FORWARDED_PROTO", ""))).lower()
            if proto in {"http", "https"}:
                environ["wsgi.url_scheme"] = proto
            host = _last(str(environ.get("HTTP_X_FORWARDED_HOST", "")))
            if host:
                environ["HTTP_HOST"] = host
        for header in FORWARDED_HEADERS:
            environ.pop(header, None)
        result: Iterator[bytes] = self.app(environ, start_response)
        return result


def client_address(request: Any) -> str:
    """The client's address for logs, audit and lock-outs (already un-proxied by the middleware)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))
