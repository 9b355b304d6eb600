"""The AMQP 0-9-1 frames of a batch of ``basic.publish``, marshalled in one pass.

A batch shares one ``basic.publish`` method frame (same exchange, routing key and flags),
so it is marshalled once; each message adds pika's content header frame and its body
frames. The result is byte for byte what ``channel.basic_publish`` sends for each message
in turn (tests/integrations/test_amqp_wire.py), but handed to the connection as one buffer.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from pika import frame, spec

_FRAME_HEADER = struct.Struct(">BHI")
_FRAME_END = bytes((spec.FRAME_END,))


def _frame(kind: int, channel: int, payload: bytes) -> bytes:
    return _FRAME_HEADER.pack(kind, channel, len(payload)) + payload + _FRAME_END


def publish_frames(
    *,
    channel: int,
    body_max: int,
    exchange: str,
    routing_key: str,
    mandatory: bool,
    messages: Iterable[tuple[bytes, spec.BasicProperties]],
) -> bytes:
    """The method, content header and body frames of every ``(body, properties)``, joined."""
    method = frame.Method(
        channel,
        spec.Basic.Publish(exchange=exchange, routing_key=routing_key, mandatory=mandatory),
    ).marshal()
    parts: list[bytes] = []
    for body, properties in messages:
        parts.append(method)
        parts.append(frame.Header(channel, len(body), properties).marshal())
        for start in range(0, len(body), body_max):
            parts.append(_frame(spec.FRAME_BODY, channel, body[start : start + body_max]))
    return b"".join(parts)
