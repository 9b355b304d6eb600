"""The batch's frames are byte for byte what pika's own ``basic_publish`` would send."""

from __future__ import annotations

import pika
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pika import frame, spec
from pika.exceptions import ShortStringTooLong

from luvat.integrations.transports.amqp import header_frames, message_properties
from luvat.integrations.transports.amqp_wire import publish_frames
from luvat.integrations.transports.base import EndpointConfig, Envelope

short_text = st.text(max_size=40)
optional_short = st.none() | short_text
header_values = st.dictionaries(
    st.text(min_size=1, max_size=20),
    st.text(max_size=60) | st.integers(-(2**31), 2**31 - 1) | st.booleans(),
    max_size=4,
)
properties = st.builds(
    pika.BasicProperties,
    content_type=optional_short,
    content_encoding=optional_short,
    headers=st.none() | header_values,
    delivery_mode=st.none() | st.sampled_from([1, 2]),
    priority=st.none() | st.integers(0, 9),
    correlation_id=optional_short,
    reply_to=optional_short,
    expiration=st.none() | st.integers(0, 10**6).map(str),
    message_id=optional_short,
    timestamp=st.none() | st.integers(0, 2**40),
    type=optional_short,
    user_id=optional_short,
    app_id=optional_short,
    cluster_id=optional_short,
)


def pika_frames(channel: int, body_max: int, body: bytes, props: pika.BasicProperties) -> bytes:
    """What ``Connection._send_message`` marshals for one ``basic_publish``."""
    publish = spec.Basic.Publish(exchange="luvat.applications", routing_key="tre", mandatory=True)
    frames = [
        frame.Method(channel, publish).marshal(),
        frame.Header(channel, len(body), props).marshal(),
    ]
    for start in range(0, len(body), body_max):
        frames.append(frame.Body(channel, body[start : start + body_max]).marshal())
    return b"".join(frames)


@given(
    st.lists(st.tuples(st.binary(max_size=300), properties), max_size=4),
    st.integers(1, 5),
    st.integers(16, 200),
)
def test_a_batch_is_the_frames_of_each_publish_in_order(
    messages: list[tuple[bytes, pika.BasicProperties]], channel: int, body_max: int
) -> None:
    expected = b"".join(pika_frames(channel, body_max, body, p) for body, p in messages)
    chunk = publish_frames(
        channel=channel,
        body_max=body_max,
        exchange="luvat.applications",
        routing_key="tre",
        mandatory=True,
        messages=messages,
    )
    assert chunk == expected


envelopes = st.builds(
    Envelope,
    message_id=short_text,
    kind=short_text,
    authority_code=st.text(max_size=60),
    application_ref=short_text,
    body=st.binary(max_size=300),
    correlation_id=short_text,
)


@given(
    st.lists(envelopes, max_size=4),
    st.sampled_from(["", "s3cret", "salaisuus-äö"]),
    st.integers(1, 5),
    st.integers(0, 2**40),
)
def test_a_batch_header_frame_is_what_pika_marshals_for_the_message_properties(
    batch: list[Envelope], secret: str, channel: int, timestamp: int
) -> None:
    endpoint = EndpointConfig(
        code="tre-amqp", authority_code="tre", transport="amqp", signing_secret=secret
    )
    expected = [
        frame.Header(
            channel, len(e.body), message_properties(endpoint, e, timestamp=timestamp)
        ).marshal()
        for e in batch
    ]
    assert header_frames(channel, endpoint, batch, timestamp) == expected


def test_a_message_property_too_long_for_amqp_is_refused_as_pika_refuses_it() -> None:
    endpoint = EndpointConfig(code="tre-amqp", authority_code="tre", transport="amqp")
    envelope = Envelope("m" * 256, "application.submitted", "tre", "R-1", b"{}")
    with pytest.raises(ShortStringTooLong):
        frame.Header(1, 2, message_properties(endpoint, envelope, timestamp=1)).marshal()
    with pytest.raises(ShortStringTooLong):
        header_frames(1, endpoint, [envelope], 1)
