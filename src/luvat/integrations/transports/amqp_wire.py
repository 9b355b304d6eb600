"""The AMQP 0-9-1 frames of a batch of ``basic.publish``, marshalled in one pass.

A batch shares one ``basic.publish`` method frame (same exchange, routing key and flags),
so it is marshalled once; each message adds pika's content header frame and its body
frames. The result is byte for byte what ``channel.basic_publish`` sends for each message
in turn (tests/integrations/test_amqp_wire.py), but handed to the connection as one buffer.

The content headers of Luvat's own messages are written by :class:`HeaderFrames` without
building a ``BasicProperties`` per message: what the batch shares (content type and
encoding, delivery mode, app id, the ``authority`` header) is encoded once, and only the
message id, correlation id, type, timestamp and signature are encoded per message.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from pika import exceptions, frame, spec

_FRAME_HEADER = struct.Struct(">BHI")
_FRAME_END = bytes((spec.FRAME_END,))
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")
# Class id (basic), weight 0, as pika's ``frame.Header.marshal`` starts the payload.
_BASIC_CLASS = struct.pack(">Hxx", spec.BasicProperties.INDEX)
_P = spec.BasicProperties
# The properties every Luvat message carries, all within the first 16-bit flags word.
_LUVAT_FLAGS = (
    _P.FLAG_CONTENT_TYPE
    | _P.FLAG_CONTENT_ENCODING
    | _P.FLAG_HEADERS
    | _P.FLAG_DELIVERY_MODE
    | _P.FLAG_CORRELATION_ID
    | _P.FLAG_MESSAGE_ID
    | _P.FLAG_TIMESTAMP
    | _P.FLAG_TYPE
    | _P.FLAG_APP_ID
)


def _frame(kind: int, channel: int, payload: bytes) -> bytes:
    return _FRAME_HEADER.pack(kind, channel, len(payload)) + payload + _FRAME_END


def short_string(value: str) -> bytes:
    """An AMQP short string (as ``pika.data.encode_short_string``; at most 255 bytes)."""
    encoded = value.encode()
    if len(encoded) > 255:
        raise exceptions.ShortStringTooLong(encoded)
    return bytes((len(encoded),)) + encoded


def string_entry(key: str, value: str) -> bytes:
    """One ``key: long string`` entry of an AMQP field table (as ``pika.data.encode_table``)."""
    encoded = value.encode()
    return short_string(key) + b"S" + _U32.pack(len(encoded)) + encoded


class HeaderFrames:
    """Content header frames of one batch: the shared properties encoded once.

    Byte for byte the frame pika marshals for ``BasicProperties(content_type=…,
    content_encoding=…, headers={first_header…, **more}, delivery_mode=…,
    correlation_id=…, message_id=…, timestamp=…, type=…, app_id=…)``
    (tests/integrations/test_amqp_wire.py). A batch is published at one timestamp."""

    def __init__(
        self,
        *,
        channel: int,
        content_type: str,
        content_encoding: str,
        delivery_mode: int,
        app_id: str,
        timestamp: int,
        first_header: tuple[str, str],
    ) -> None:
        self._channel = channel
        self._shared = (
            struct.pack(">H", _LUVAT_FLAGS)
            + short_string(content_type)
            + short_string(content_encoding)
        )
        self._first_header = string_entry(*first_header)
        self._delivery_mode = bytes((delivery_mode,))
        self._timestamp = _U64.pack(timestamp)
        self._app_id = short_string(app_id)
        self._keys: dict[str, bytes] = {}
        self._tails: dict[str, bytes] = {}  # by type: timestamp, type and app id

    def frame(
        self,
        body_size: int,
        *,
        more_headers: Iterable[tuple[str, str]] = (),
        correlation_id: str,
        message_id: str,
        type: str,
    ) -> bytes:
        table = [self._first_header]
        for key, value in more_headers:
            encoded_key = self._keys.get(key)
            if encoded_key is None:
                encoded_key = self._keys[key] = short_string(key) + b"S"
            encoded = value.encode()
            table += (encoded_key, _U32.pack(len(encoded)), encoded)
        table_bytes = b"".join(table)
        tail = self._tails.get(type)
        if tail is None:
            tail = self._tails[type] = self._timestamp + short_string(type) + self._app_id
        payload = b"".join(
            (
                _BASIC_CLASS,
                _U64.pack(body_size),
                self._shared,
                _U32.pack(len(table_bytes)),
                table_bytes,
                self._delivery_mode,
                short_string(correlation_id),
                short_string(message_id),
                tail,
            )
        )
        return (
            _FRAME_HEADER.pack(spec.FRAME_HEADER, self._channel, len(payload))
            + payload
            + _FRAME_END
        )


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
    return publish_marshalled(
        channel=channel,
        body_max=body_max,
        exchange=exchange,
        routing_key=routing_key,
        mandatory=mandatory,
        messages=(
            (body, frame.Header(channel, len(body), properties).marshal())
            for body, properties in messages
        ),
    )


def publish_marshalled(
    *,
    channel: int,
    body_max: int,
    exchange: str,
    routing_key: str,
    mandatory: bool,
    messages: Iterable[tuple[bytes, bytes]],
) -> bytes:
    """As :func:`publish_frames`, each message given as its body and its content header
    frame already marshalled (:class:`HeaderFrames`)."""
    method = frame.Method(
        channel,
        spec.Basic.Publish(exchange=exchange, routing_key=routing_key, mandatory=mandatory),
    ).marshal()
    parts: list[bytes] = []
    for body, header in messages:
        parts.append(method)
        parts.append(header)
        if 0 < len(body) <= body_max:  # one body frame (an empty body has none)
            parts.append(
                _FRAME_HEADER.pack(spec.FRAME_BODY, channel, len(body)) + body + _FRAME_END
            )
            continue
        for start in range(0, len(body), body_max):
            parts.append(_frame(spec.FRAME_BODY, channel, body[start : start + body_max]))
    return b"".join(parts)
