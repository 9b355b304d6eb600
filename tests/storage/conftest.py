"""A real S3 API on localhost: moto's server in a thread, on a free port, one per test process."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from typing import Any, cast

import boto3
import pytest
from django.conf import settings as django_settings
from moto.server import ThreadedMotoServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_server: str, settings: Any) -> Iterator[Any]:
    """A fresh bucket, made the `default` storage the way LUVAT_FILE_STORAGE=s3 does."""
    name = f"luvat-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-north-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    s3: dict[str, Any] = {
        "BACKEND": django_settings.S3_STORAGE["BACKEND"],
        "OPTIONS": {
            **cast(dict[str, Any], django_settings.S3_STORAGE["OPTIONS"]),
            "bucket_name": name,
            "endpoint_url": s3_server,
            "region_name": "eu-north-1",
            "access_key": "test",
            "secret_key": "test",
            "addressing_style": "path",
        },
    }
    settings.STORAGES = {**django_settings.STORAGES, "default": s3}
    yield type("Bucket", (), {"name": name, "client": client})()


def object_keys(bucket: Any) -> set[str]:
    listed = bucket.client.list_objects_v2(Bucket=bucket.name)
    return {item["Key"] for item in listed.get("Contents", [])}
