"""``hotline serve`` on a fresh data directory, as the README's run command starts it."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path / "data"),
           "HOTLINE_API_PORT": str(port), "HOTLINE_POLICY": "zhanjiang",
           "HOTLINE_AUDIOSOCKET_PORT": str(free_port()), "HOTLINE_AMI_PORT": str(free_port()),
           "HOTLINE_AGI_PORT": str(free_port())}
    env.pop("HOTLINE_DATABASE_URL", None)
    script = Path(sys.executable).parent / "hotline"
    process = subprocess.Popen([str(script), "serve"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"hotline serve did not come up: {process.stdout.read()}")
            time.sleep(0.2)
        yield base, tmp_path / "data", process
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_first_run_migrates_creates_admin_and_serves_the_api(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data, _ = served
    password = (data / "initial-admin-password").read_text().strip()
    assert (data / "hotline.db").exists()
    token = httpx.post(f"{base}/auth/login",
                       json={"username": "admin", "password": password}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    created = httpx.post(f"{base}/tickets", headers=auth, json={
        "request_type": "咨询", "category": "民生保障", "place": "赤坎区",
        "content": "咨询灵活就业社保缴费", "accept": True})
    assert created.status_code == 201, created.text
    assert created.json()["profile"] == "zhanjiang"
    assert httpx.get(f"{base}/docs").status_code == 200
    assert "/tickets/{number}/dispatch" in httpx.get(f"{base}/openapi.json").json()["paths"]


def stopped_output(process: subprocess.Popen[str]) -> str:
    """Everything the server printed, once it has been stopped."""
    process.terminate()
    output, _ = process.communicate(timeout=20)
    return output


def test_without_an_asr_model_the_platform_serves_and_says_so(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, _, process = served
    assert httpx.get(f"{base}/health").status_code == 200
    output = stopped_output(process)
    assert "no ASR model installed: calls go on without transcription" in output


def test_a_token_in_a_url_never_reaches_the_log(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, _, process = served
    assert httpx.get(f"{base}/health?token=sekrit-value-123").status_code == 200
    output = stopped_output(process)
    assert "/health?token=…" in output
    assert "sekrit-value-123" not in output
