"""`luvat serve` on a fresh var directory: migrations, demo data, probes, front page, worker."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

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
    # --port drives where the simulator reports statuses when LUVAT_PUBLIC_URL is not set.
    assert f"statuses go to http://localhost:{port}" in output
    assert (tmp_path / "var" / "luvat.sqlite3").exists()


def test_serve_with_processes_runs_gunicorn_and_stops_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LUVAT_", "DATABASE_URL"))}
    env["LUVAT_VAR_DIR"] = str(tmp_path / "var")
    env["LUVAT_SERVE_THREADS"] = "2"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [BIN / "luvat", "migrate", "-v0"], env=env, check=True, timeout=120, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [BIN / "luvat", "serve", "--port", str(port), "--processes", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                status, _body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not answer within 40 s"
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.2)
        assert status == 200
        server.terminate()
        output = server.communicate(timeout=40)[0]
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, output
    assert "(gunicorn)" in output and "2 process(es) x 2 threads" in output
    assert output.count("Booting worker") == 2


def serve_behind_proxy(tmp_path, trusted):
    """`luvat serve` in production mode with LUVAT_HTTPS and the given trusted proxies."""
    from tests.test_luvat_check import GOOD_SECRET, production_identity_settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LUVAT_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by Playwright's browser tests in the same test process; production refuses it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        LUVAT_VAR_DIR=str(tmp_path / "var"),
        LUVAT_ENV="production",
        LUVAT_SECRET_KEY=GOOD_SECRET,
        LUVAT_IDENTITY_KEY=GOOD_SECRET,
        DATABASE_URL=f"sqlite:///{tmp_path}/luvat.sqlite3",
        LUVAT_ALLOWED_HOSTS="127.0.0.1,luvat.example",
        LUVAT_HTTPS="true",
        LUVAT_WORKER_IN_PROCESS="false",
        LUVAT_LOG_FORMAT="json",
        LUVAT_TRUSTED_PROXIES=trusted,
        **production_identity_settings(tmp_path),
    )
    subprocess.run([BIN / "luvat", "migrate", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "luvat", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def status(path, headers):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        try:
            with opener.open(request, timeout=5) as response:
                return response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers)

    deadline = time.monotonic() + 30
    while True:
        try:
            status("/livez", {})
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise AssertionError(server.communicate(timeout=10)[0]) from None
            time.sleep(0.2)
    return server, status


def stop(server):
    server.terminate()
    return server.communicate(timeout=20)[0]


@pytest.mark.xmlsec
def test_serve_behind_a_trusted_tls_proxy_takes_its_forwarded_headers(tmp_path):
    """From a trusted proxy: scheme (no redirect loop), host and client address are taken."""
    server, status = serve_behind_proxy(tmp_path, "10.9.9.9, 127.0.0.0/8")
    try:
        assert status("/livez", {})[0] == 200  # probes over plain HTTP are not redirected
        assert status("/api/v1/openapi.json", {})[0] == 301
        forwarded = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7, 10.9.9.9",
            "X-Forwarded-Host": "luvat.example",
        }
        code, headers = status("/api/v1/openapi.json", forwarded)
        assert code == 200
        assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
        code, headers = status("/api/v1/no-such-thing", forwarded)
        assert code == 404
        code, headers = status("/en/backoffice/", forwarded)  # needs log-in: redirect
        assert code == 302 and headers["Location"].startswith("/")
    finally:
        output = stop(server)
    lines = [line for line in output.splitlines() if "no-such-thing" in line]
    assert lines and all('"client_ip": "203.0.113.7"' in line for line in lines), output


@pytest.mark.xmlsec
def test_serve_ignores_forwarded_headers_from_an_untrusted_peer(tmp_path):
    """127.0.0.1 not listed: X-Forwarded-Proto cannot stop the redirect, nor fake an address."""
    server, status = serve_behind_proxy(tmp_path, "10.9.9.9")
    try:
        forwarded = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Host": "evil.example",
        }
        code, headers = status("/api/v1/openapi.json", forwarded)
        assert code == 301
        assert headers["Location"].startswith("https://127.0.0.1:")  # not evil.example
    finally:
        output = stop(server)
    assert "203.0.113.7" not in output
