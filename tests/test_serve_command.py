"""`luvat serve` on a fresh var directory: migrations, demo data, probes, front page, worker."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        return response.status, response.read().decode()


def test_serve_starts_with_worker_and_answers(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LUVAT_", "DATABASE_URL"))}
    env["LUVAT_VAR_DIR"] = str(tmp_path / "var")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    simulator_port = free_port()
    env["LUVAT_DEMO_SIMULATOR_PORT"] = str(simulator_port)
    for command in (["migrate", "-v0"], ["load-demo"]):
        subprocess.run(
            [BIN / "luvat", *command], env=env, check=True, timeout=120, capture_output=True
        )
    port = free_port()
    server = subprocess.Popen(
        [BIN / "luvat", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = get(f"{base}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not answer within 30 s"
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.2)
        assert status == 200
        for language, text in (
            ("fi", "Luvat ja valvonta"),
            ("sv", "Tillstånd och tillsyn"),
            ("en", "Permits and supervision"),
        ):
            status, body = get(f"{base}/{language}/")
            assert status == 200 and text in body
        status, body = get(f"{base}/readyz")
        assert '"worker": {"status": "running"' in body
        status, body = get(f"http://127.0.0.1:{simulator_port}/_simulator/state")
        assert status == 200 and '"deliveries": 0' in body
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert f"Luvat is running at http://localhost:{port}/" in output
    assert "admin (password luvat-demo)" in output
    assert f"simulated authority system (HKI-RESCUE): http://127.0.0.1:{simulator_port}/" in output
    assert (tmp_path / "var" / "luvat.sqlite3").exists()
