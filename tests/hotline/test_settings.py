"""Settings come from defaults, then a TOML file, then HOTLINE_* variables."""

from pathlib import Path

import pytest

from hotline.settings import load_settings


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
