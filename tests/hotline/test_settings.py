"""Settings come from defaults, then a TOML file, then HOTLINE_* variables."""

import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hotline import migrate
from hotline.cli.users import bootstrap_admin
from hotline.settings import load_settings
from telephony.pbx.render import InvalidPbxConfig


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOTLINE_CONFIG", "HOTLINE_POLICY", "HOTLINE_DATABASE_URL",
                 "HOTLINE_DATA_DIR", "HOTLINE_API_PORT"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_use_the_embedded_sqlite_database_in_the_data_directory() -> None:
    settings = load_settings()
    assert settings.policy == "default"
    assert settings.effective_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.effective_database_url.endswith("data/hotline.db")


def test_config_file_overrides_defaults_and_environment_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "hotline.toml"
    config.write_text('policy = "wuhai"\napi_port = 9000\n')
    monkeypatch.setenv("HOTLINE_CONFIG", str(config))
    assert (load_settings().policy, load_settings().api_port) == ("wuhai", 9000)
    monkeypatch.setenv("HOTLINE_POLICY", "zhanjiang")
    assert (load_settings().policy, load_settings().api_port) == ("zhanjiang", 9000)


def test_a_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = settings.ensure_secret()
    assert len(first) >= 32
    assert load_settings(data_dir=tmp_path).ensure_secret() == first
    assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0


def test_postgresql_url_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_DATABASE_URL", "postgresql://hotline@db.internal/hotline")
    assert load_settings().effective_database_url == "postgresql://hotline@db.internal/hotline"


def test_without_a_trunk_units_and_supervisors_are_the_simulators_answerers(
    tmp_path: Path,
) -> None:
    settings = load_settings(data_dir=tmp_path)
    dialing = settings.dialing()
    assert dialing.unit.format(number="9001") == "Local/9001@sim-agent/n"
    assert settings.pbx_config().provincial_line == "Local/053112345@sim-agent/n"


def test_with_a_carrier_trunk_units_go_through_it_and_agents_are_softphones(
    tmp_path: Path,
) -> None:
    settings = load_settings(data_dir=tmp_path, provincial_number="053167890", sip_peers=[
        {"name": "carrier", "kind": "trunk", "host": "192.0.2.10"}])
    dialing = settings.dialing()
    assert dialing.unit.format(number="053188881234") == "PJSIP/053188881234@carrier"
    assert (dialing.agent, dialing.supervisor) == ("PJSIP/{number}", "PJSIP/{number}")
    assert settings.pbx_config().provincial_line == "PJSIP/053167890@carrier"


def test_a_dial_string_set_by_the_deployment_wins(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, dial_supervisor="PJSIP/{number}@supervisors")
    assert settings.dialing().supervisor == "PJSIP/{number}@supervisors"


def test_a_provincial_number_that_would_inject_into_the_dialplan_is_refused(
    tmp_path: Path,
) -> None:
    settings = load_settings(data_dir=tmp_path, provincial_number="123,Hangup")
    with pytest.raises(InvalidPbxConfig):
        settings.pbx_config()


_chmods: list[object] | None = None  # while a block is watched: every chmod it made


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "os.chmod" and _chmods is not None:
        _chmods.append(args[0])


sys.addaudithook(_audit)  # hooks stay for the process; inert outside `watched`


@contextmanager
def watched() -> Iterator[list[object]]:
    """The chmods made inside the block, under the most permissive umask there is."""
    global _chmods
    _chmods = []
    permissive = os.umask(0)
    try:
        yield _chmods
    finally:
        os.umask(permissive)
        _chmods = None


def test_secrets_are_created_0600_not_opened_up_then_closed(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir(mode=0o700)
    leftover = tmp_path / "data" / ".secrets.json.tmp"  # a crash mid-write left it, 0644
    leftover.write_text("{}")
    leftover.chmod(0o644)
    settings = load_settings(data_dir=tmp_path / "data")
    with watched() as chmods:
        settings.ensure_secret()
        settings.ensure_ami_secret()
        settings.ensure_agent_passwords()
    assert chmods == []
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    for name in ("secrets.json", ".secrets.lock"):
        assert (tmp_path / "data" / name).stat().st_mode & 0o777 == 0o600, name


def test_the_first_admins_password_file_is_created_0600(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    migrate.upgrade(settings.effective_database_url)
    with watched() as chmods:
        password = asyncio.run(bootstrap_admin(settings))
    assert password and chmods == []
    written = tmp_path / "initial-admin-password"
    assert written.read_text() == password + "\n"
    assert written.stat().st_mode & 0o777 == 0o600
