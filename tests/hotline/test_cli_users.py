"""``hotline users`` as a script uses it, on SQLite and PostgreSQL."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from hotline.cli.main import app
from hotline.db import make_engine
from tickets.accounts.models import User
from tickets.accounts.passwords import verify_password

runner = CliRunner()


@pytest.fixture
def configured(database_url: str, session: AsyncSession, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The CLI pointed at the test database (emptied by ``session``); its environment."""
    env = {"HOTLINE_DATA_DIR": str(tmp_path), "HOTLINE_DATABASE_URL": database_url}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def users(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["users", *args])
    return result.exit_code, result.output


def test_a_too_short_password_is_one_clear_line_and_exit_2(configured: dict[str, str]) -> None:
    script = Path(sys.executable).parent / "hotline"
    done = subprocess.run(
        [str(script), "users", "create", "alice", "--role", "agent", "--password", "abc"],
        capture_output=True, text=True, timeout=60, env={**configured, "PATH": "/usr/bin"})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == ("error: invalid-value: password: "
                           "String should have at least 8 characters\n")


async def stored(url: str, username: str) -> User | None:
    engine = make_engine(url)
    try:
        async with async_sessionmaker(engine)() as session:
            return await session.scalar(select(User).where(User.username == username))
    finally:
        await engine.dispose()


def test_list_disable_enable_and_reset_password(configured: dict[str, str]) -> None:
    assert users("create", "alice", "--role", "agent", "--password", "long-enough-1") == (
        0, "user alice created (agent)\n")
    code, listed = users("list", "--json")
    assert code == 0
    [alice] = json.loads(listed)
    assert (alice["username"], alice["role"], alice["active"]) == ("alice", "agent", True)
    assert users("disable", "alice") == (0, "user alice disabled\n")
    assert users("list")[1] == "alice\tagent\tdisabled\t\n"
    assert users("enable", "alice") == (0, "user alice enabled\n")
    assert users("reset-password", "alice", "--password", "new-password-2") == (
        0, "password of alice reset\n")
    code, generated = users("reset-password", "alice")
    assert code == 0 and generated.startswith("password of alice reset: ")
    user = asyncio.run(stored(configured["HOTLINE_DATABASE_URL"], "alice"))
    assert user is not None
    assert verify_password(generated.rsplit(" ", 1)[1].strip(), user.password_hash)
    assert user.token_generation == 3  # disabling and each reset revoked its tokens
    assert users("disable", "bob") == (2, "error: user-not-found: no user bob\n")
    assert users("reset-password", "alice", "--password", "short")[0] == 2
