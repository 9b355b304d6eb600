"""What every transport receives: an endpoint's settings and one message to carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from luvat.integrations.policy import DeliveryResult
from luvat.integrations.transports.topology import topology

MESSAGE_ID_HEADER = "X-Luvat-Message-Id"
MESSAGE_KIND_HEADER = "X-Luvat-Message-Kind"
AUTHORITY_HEADER = "X-Luvat-Authority"


@dataclass(frozen=True)
class EndpointConfig:
    """A snapshot of an :class:`AuthorityEndpoint` with its secret decrypted (never logged)."""

    code: str
    authority_code: str
    transport: str
    url: str = ""
    xroad_client: str = ""
    xroad_service: str = ""
    signing_secret: str = field(default="", repr=False)
    connect_timeout_seconds: float = 5.0
    read_timeout_seconds: float = 30.0
    verify_tls: bool = True
    ca_bundle: str = ""
    amqp_url: str = field(default="", repr=False)
    amqp_exchange: str = ""
    amqp_queue: str = ""

    @property
    def target_url(self) -> str:
        """The address to POST to: through the X-Road security server when a service is set."""
        if self.xroad_service:
            return f"{self.url.rstrip('/')}/r1/{self.xroad_service.strip('/')}"
        return self.url

    def __post_init__(self) -> None:
        if not self.amqp_exchange:  # the topology's exchange, as the endpoint leaves it empty
            object.__setattr__(self, "amqp_exchange", topology().applications_exchange)

    @property
    def queue_name(self) -> str:
        return self.amqp_queue or topology().authority_queue(self.authority_code)


@dataclass(frozen=True)
class Envelope:
    """One message ready to go: its stable id, kind and the exact JSON bytes to send."""

    message_id: str
    kind: str
    authority_code: str
    application_ref: str
    body: bytes
    correlation_id: str = ""


class Transport(Protocol):
    def send(self, endpoint: EndpointConfig, envelope: Envelope) -> DeliveryResult: ...

    def close(self) -> None: ...
