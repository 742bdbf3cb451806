"""Settings: defaults, then a TOML config file, then ``HOTLINE_*`` environment variables."""

import json
import os
import secrets
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

CONFIG_ENV = "HOTLINE_CONFIG"


class Settings(BaseSettings):
    """Everything a deployment can set; see the README for the table."""

    model_config = SettingsConfigDict(env_prefix="HOTLINE_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    policy: str = "default"
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    secret_key: str | None = Field(default=None, repr=False)
    token_ttl_hours: int = 12
    max_body_bytes: int = 1_048_576
    log_level: str = "INFO"
    calendar_refresh_seconds: float = 300.0  # other nodes' calendar imports reach this one

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config = os.environ.get(CONFIG_ENV)
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config)))
        return tuple(sources)

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'hotline.db'}"

    def ensure_secret(self) -> bytes:
        """The signing secret: configured, or generated once into the data directory."""
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / "secrets.json"
        stored: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        if "secret_key" not in stored:
            stored["secret_key"] = secrets.token_urlsafe(48)
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stored))
            path.chmod(0o600)
        return str(stored["secret_key"]).encode()


def load_settings(**overrides: Any) -> Settings:
    """Settings from every source, with ``overrides`` winning."""
    return Settings(**overrides)
