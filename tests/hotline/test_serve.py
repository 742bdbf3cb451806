"""``hotline serve`` on a fresh data directory, as the README's run command starts it."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from hotline import migrate
from hotline.app import create_app
from hotline.settings import Settings
from hotline.storage import StartRefused
from tests.hotline.tmpfs import remount_read_only, tmpfs


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


def serve_once(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    """``hotline serve`` on ``database_url``, expected to end by itself."""
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path / "data"),
           "HOTLINE_DATABASE_URL": database_url, "HOTLINE_API_PORT": str(free_port())}
    script = Path(sys.executable).parent / "hotline"
    return subprocess.run([str(script), "serve"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)


def assert_refused_in_one_line(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 3, done.stdout + done.stderr
    output = (done.stdout + done.stderr).splitlines()
    errors = [line for line in output if "INFO" not in line.split()[:2]]  # Alembic's notes
    assert len(errors) == 1, output
    assert errors[0].startswith("error: storage-unavailable: the database ")
    assert says in errors[0]


def test_serve_on_a_read_only_mount_exits_with_one_line(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro") as disk:
        url = f"sqlite:///{disk}/hotline.db"
        migrate.upgrade(url)
        remount_read_only(disk)
        done = serve_once(tmp_path, url)
    assert_refused_in_one_line(done, "is read-only (read-only file system")


def test_serve_on_an_unreachable_database_exits_with_one_line(tmp_path: Path) -> None:
    done = serve_once(tmp_path, "postgresql://postgres@127.0.0.1:1/test")
    assert_refused_in_one_line(done, "cannot be reached")


@pytest.mark.postgres
def test_serve_on_a_read_only_postgres_database_exits_with_one_line(
    tmp_path: Path, postgres_database: str,
) -> None:
    """Migrated, then ``ALTER DATABASE … SET default_transaction_read_only``: reads work."""
    base, _, _ = postgres_database.rpartition("/")
    name = f"hotline_ro_{uuid.uuid4().hex[:8]}"
    url = f"{base}/{name}".replace("+asyncpg", "")
    admin(postgres_database, f'CREATE DATABASE "{name}"')
    try:
        migrate.upgrade(url)
        admin(postgres_database, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        done = serve_once(tmp_path, url)
    finally:
        admin(postgres_database, f'DROP DATABASE "{name}" WITH (FORCE)')
    assert_refused_in_one_line(done, "is read-only (cannot execute UPDATE in a read-only")


def admin(url: str, sql: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


async def test_a_storage_failure_at_start_is_told_in_one_line_by_the_lifespan(
    tmp_path: Path,
) -> None:
    """Past ``serve``'s own checks, the database fails as the app starts (a race)."""
    app = create_app(Settings(data_dir=tmp_path, policy="zhanjiang",
                              database_url="postgresql://postgres@127.0.0.1:1/test"))
    sent: list[dict[str, object]] = []
    inbox: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    with pytest.raises(StartRefused):
        await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                  inbox.get, send)  # type: ignore[arg-type]
    assert [m["type"] for m in sent] == ["lifespan.startup.failed"]
    message = str(sent[0]["message"])
    assert message.startswith("error: storage-unavailable: the database postgresql://")
    assert "\n" not in message
