"""HTTP transport: X-Road style REST, one signed POST per message.

2xx means the receiver accepted the message; 4xx other than 408/429 is a
permanent refusal (dead-letter with the reason); 5xx, 408, 429, timeouts and
connection failures are retried by the delivery job.
"""

from __future__ import annotations

import json
import time
import uuid

import urllib3
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError, TimeoutError

from luvat.integrations.policy import (
    DeliveryResult,
    Outcome,
    classify_http_status,
    parse_retry_after,
)
from luvat.integrations.signing import SIGNATURE_HEADER, sign
from luvat.integrations.transports.base import (
    AUTHORITY_HEADER,
    MESSAGE_ID_HEADER,
    MESSAGE_KIND_HEADER,
    EndpointConfig,
    Envelope,
)

REASON_LIMIT = 500
USER_AGENT = "Luvat-delivery/1"


def request_headers(endpoint: EndpointConfig, envelope: Envelope, *, now: float) -> dict[str, str]:
    """The headers of one delivery attempt (a fresh X-Road-Id per attempt)."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
        MESSAGE_ID_HEADER: envelope.message_id,
        MESSAGE_KIND_HEADER: envelope.kind,
        AUTHORITY_HEADER: envelope.authority_code,
    }
    if envelope.correlation_id:
        headers["X-Luvat-Correlation-Id"] = envelope.correlation_id
    if endpoint.signing_secret:
        headers[SIGNATURE_HEADER] = sign(endpoint.signing_secret, envelope.body, int(now))
    if endpoint.xroad_client:
        headers["X-Road-Client"] = endpoint.xroad_client
        headers["X-Road-Id"] = str(uuid.uuid4())
    if endpoint.xroad_service:
        headers["X-Road-Service"] = endpoint.xroad_service
    return headers


def _reason(status: int, body: bytes, xroad_error: str | None) -> str:
    text = body[:REASON_LIMIT].decode("utf-8", errors="replace").strip()
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        text = str(parsed.get("detail") or parsed.get("title") or parsed.get("error") or text)
    prefix = f"HTTP {status}"
    if xroad_error:
        prefix += f" (X-Road-Error: {xroad_error})"
    return f"{prefix}: {text}"[:REASON_LIMIT] if text else prefix


class HttpTransport:
    """Keeps one connection pool per TLS setting, shared by every endpoint (thread-safe)."""

    def __init__(self) -> None:
        self._pools: dict[tuple[bool, str], urllib3.PoolManager] = {}

    def _pool(self, endpoint: EndpointConfig) -> urllib3.PoolManager:
        key = (endpoint.verify_tls, endpoint.ca_bundle)
        pool = self._pools.get(key)
        if pool is None:
            if endpoint.verify_tls:
                pool = urllib3.PoolManager(
                    num_pools=50,
                    maxsize=8,
                    cert_reqs="CERT_REQUIRED",
                    ca_certs=endpoint.ca_bundle or None,
                )
            else:
                pool = urllib3.PoolManager(num_pools=50, maxsize=8, cert_reqs="CERT_NONE")
            self._pools[key] = pool
        return pool

    def send(self, endpoint: EndpointConfig, envelope: Envelope) -> DeliveryResult:
        if not endpoint.target_url:
            return DeliveryResult(Outcome.RETRY, reason="the endpoint has no address")
        started = time.perf_counter()
        timeout = urllib3.Timeout(
            connect=endpoint.connect_timeout_seconds, read=endpoint.read_timeout_seconds
        )
        try:
            response = self._pool(endpoint).request(
                "POST",
                endpoint.target_url,
                body=envelope.body,
                headers=request_headers(endpoint, envelope, now=time.time()),
                timeout=timeout,
                retries=False,
                redirect=False,
            )
        except NewConnectionError as exc:
            return DeliveryResult(
                Outcome.RETRY,
                reason=f"connection failed: {exc}"[:REASON_LIMIT],
                duration_ms=_ms(started),
            )
        except TimeoutError as exc:
            return DeliveryResult(
                Outcome.RETRY, reason=f"timed out: {exc}"[:REASON_LIMIT], duration_ms=_ms(started)
            )
        except SSLError as exc:
            return DeliveryResult(
                Outcome.RETRY, reason=f"TLS failure: {exc}"[:REASON_LIMIT], duration_ms=_ms(started)
            )
        except HTTPError as exc:
            return DeliveryResult(
                Outcome.RETRY,
                reason=f"connection failed: {exc}"[:REASON_LIMIT],
                duration_ms=_ms(started),
            )
        outcome = classify_http_status(response.status)
        reason = (
            ""
            if outcome is Outcome.ACCEPTED
            else _reason(response.status, response.data, response.headers.get("X-Road-Error"))
        )
        return DeliveryResult(
            outcome,
            reason=reason,
            status_code=response.status,
            retry_after_seconds=parse_retry_after(response.headers.get("Retry-After")),
            duration_ms=_ms(started),
        )

    def close(self) -> None:
        for pool in self._pools.values():
            pool.clear()
        self._pools.clear()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
