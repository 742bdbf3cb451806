"""Settings: defaults, then a TOML config file, then ``HOTLINE_*`` environment variables."""

import fcntl
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from hotline.private import data_folder, open_lock, write_secret
from ivr.config import IvrConfig, MenuMode
from ivr.prompts.player import BUILT, OVERRIDE
from telephony.dialing import Dialing
from telephony.pbx.render import DEFAULT_QUEUES, Agent, PbxConfig, Queue, SipPeer
from telephony.seats.service import SeatRules
from tickets.policy.registry import get_policy

CONFIG_ENV = "HOTLINE_CONFIG"


class SipPeerSetting(BaseModel):
    """A SIP line known by its address: ``kind`` is trunk, unit or emergency."""

    name: str
    kind: Literal["trunk", "unit", "emergency"]
    host: str
    port: int = 5060


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
    # Asterisk (issue 3): the root it runs from, its instance, and the ports it listens on.
    asterisk_root: Path = Path("/var/cache/hotline/asterisk-root")
    asterisk_mirror: str | None = None  # default: the machine's own apt mirror
    asterisk_suite: str = "unstable"
    asterisk_instance_dir: Path | None = None  # default: data_dir / "asterisk"
    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_username: str = "hotline"
    ami_secret: str | None = Field(default=None, repr=False)
    # AstDB's writer: DBPut needs AMI's `system` class, which the controller's login lacks.
    ami_astdb_username: str = "hotline-astdb"
    ami_astdb_secret: str | None = Field(default=None, repr=False)
    sip_host: str = "127.0.0.1"
    sip_port: int = 5060
    rtp_port_start: int = 10000
    rtp_port_end: int = 10999
    agi_host: str = "127.0.0.1"
    agi_port: int = 4573
    audiosocket_host: str = "127.0.0.1"
    audiosocket_port: int = 9092
    # Any local process can reach the AudioSocket port (issue 11): a stream that sends no frame
    # for this long is closed, and connections past the cap are closed at once. A call's two
    # spies send a frame every 20 ms while their channel carries audio.
    audiosocket_idle_seconds: float = Field(default=300.0, gt=0)
    audiosocket_max_streams: int = Field(default=200, gt=0)
    # ASR (issue 4): default model is the newest in data_dir/asr-models; threads: the cores.
    asr_model_path: Path | None = None
    asr_threads: int | None = None
    asr_alternatives: int = 3  # n-best readings per final: word confidences, emergencies heard
    agent_count: int = 20
    agent_first_extension: int = 8001
    legacy_queues: list[str] = []  # a queue of its own per legacy line (specialist seats)
    sip_peers: list[SipPeerSetting] = []  # carrier trunk, unit and emergency lines
    # 漏接回拨 (国办函〔2025〕66号): a caller who hung up in the queue is called back within this.
    callback_within_minutes: int = 30
    # How long call recordings are kept; the deployment sets it per its archive rules.
    recording_retention_days: int = 180
    # Whom three-party calls, transfers and monitoring dial ({number} filled in). Unset: units
    # through the carrier trunk, agents and supervisors on their softphones; with no trunk
    # (development) the simulator's answerers.
    dial_unit: str | None = None
    dial_agent: str | None = None
    dial_supervisor: str | None = None
    ring_timeout_seconds: float = 45.0
    provincial_number: str = "053112345"  # the provincial 12345 line transfers go to
    # Automated revisits (issue 5): calling windows (Beijing time), outbound channel cap shared
    # with the missed-call callbacks, attempts and their spacing, then a person and the webhook.
    revisit_windows: list[str] = ["09:00-12:00", "14:00-20:00"]
    revisit_max_channels: int = 10
    revisit_attempts: int = 3
    revisit_retry_minutes: int = 120
    revisit_webhook_url: str | None = None  # SMS/WeChat gateway told of each hand-over
    # Whom revisits and callbacks dial ({number}). Unset: the carrier trunk through
    # outbound-revisit; with no trunk (development) the simulated citizens of sim-citizen.
    revisit_dial: str | None = None
    revisit_dial_seconds: float = 5.0  # how often the dialer looks for due calls
    scheduler_lease_seconds: float = 30.0  # a dead node's scheduler lease expires after this
    # IVR (issue 5): what a caller hears first, menu | greeting | direct (unset: the profile's
    # intake rule; the older ivr_direct_to_agent=true is direct); how long a caller describing the
    # request is left to talk; the prompts `hotline prompts build` speaks and the recordings
    # that replace them (same name), both copied into the Asterisk instance.
    ivr_mode: MenuMode | None = None
    ivr_direct_to_agent: bool = False
    ivr_describe_seconds: float = 20.0
    prompts_dir: Path | None = None  # default: data_dir / "prompts"
    prompts_override_dir: Path | None = None  # default: data_dir / "prompts-override"
    # Emergency linkage (issue 6). Whom hand-offs dial ({number}): unset, an `emergency` SIP
    # peer, else the carrier trunk; with neither (development) the simulator's answerers.
    dial_emergency: str | None = None
    linkage_ring_seconds: float = 30.0  # an emergency line that has not answered by then
    linkage_caller_id: str = "12345"  # what the line sees when the caller's number is withheld
    linkage_data_attempts: int = 5  # data packet: attempts (one idempotency key for all)
    linkage_data_backoff_seconds: float = 0.5  # first pause between attempts, doubling
    linkage_data_timeout_seconds: float = 5.0  # per attempt

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
        return self._generated("secret_key", lambda: secrets.token_urlsafe(48)).encode()

    def ensure_ami_secret(self) -> str:
        """The AMI secret: configured, or generated once into the data directory."""
        if self.ami_secret:
            return self.ami_secret
        return self._generated("ami_secret", lambda: secrets.token_urlsafe(32))

    def ensure_ami_astdb_secret(self) -> str:
        """The AstDB writer's AMI secret: configured, or generated once into the data folder."""
        if self.ami_astdb_secret:
            return self.ami_astdb_secret
        return self._generated("ami_astdb_secret", lambda: secrets.token_urlsafe(32))

    @property
    def agent_extensions(self) -> list[str]:
        """The agents' softphone extensions, 8001 onwards."""
        return [str(self.agent_first_extension + i) for i in range(self.agent_count)]

    def ensure_agent_passwords(self) -> dict[str, str]:
        """Each agent extension's SIP password, generated once into the data directory."""
        return {ext: self._generated(f"agent_password_{ext}", lambda: secrets.token_urlsafe(18))
                for ext in self.agent_extensions}

    @property
    def effective_asterisk_instance_dir(self) -> Path:
        """Where this node's Asterisk instance keeps its state on the host."""
        return self.asterisk_instance_dir or self.data_dir / "asterisk"

    def pbx_config(self) -> PbxConfig:
        """What the Asterisk configuration is rendered from (generates missing secrets)."""
        passwords = self.ensure_agent_passwords()
        queues = DEFAULT_QUEUES + tuple(Queue(name, legacy_line=True)
                                        for name in self.legacy_queues)
        return PbxConfig(
            ami_secret=self.ensure_ami_secret(), astdb_secret=self.ensure_ami_astdb_secret(),
            astdb_username=self.ami_astdb_username,
            agents=tuple(Agent(ext, password) for ext, password in passwords.items()),
            ami_host=self.ami_host, ami_port=self.ami_port, ami_username=self.ami_username,
            sip_host=self.sip_host, sip_port=self.sip_port,
            rtp_port_start=self.rtp_port_start, rtp_port_end=self.rtp_port_end,
            queues=queues, peers=tuple(SipPeer(**p.model_dump()) for p in self.sip_peers),
            agi_host=self.agi_host, agi_port=self.agi_port,
            audiosocket_host=self.audiosocket_host, audiosocket_port=self.audiosocket_port,
            provincial_line=self.dialing().unit.format(number=self.provincial_number),
            prompts=self.prompt_sources,
        )

    @property
    def prompt_sources(self) -> tuple[tuple[str, Path], ...]:
        """The prompt folders copied into the Asterisk instance (override first)."""
        return ((OVERRIDE, self.prompts_override_dir or self.data_dir / "prompts-override"),
                (BUILT, self.effective_prompts_dir))

    @property
    def effective_prompts_dir(self) -> Path:
        """Where `hotline prompts build` writes the spoken prompts."""
        return self.prompts_dir or self.data_dir / "prompts"

    def ivr_config(self) -> IvrConfig:
        """The menus' part of the settings."""
        return IvrConfig(mode=self.menu_mode, describe_seconds=self.ivr_describe_seconds)

    @property
    def menu_mode(self) -> MenuMode:
        """What a caller hears first: this setting, else the profile's intake rule."""
        if self.ivr_mode is not None:
            return self.ivr_mode
        if self.ivr_direct_to_agent:
            return MenuMode.DIRECT
        greets = get_policy(self.policy).intake.greeting_only
        return MenuMode.GREETING if greets else MenuMode.MENU

    @property
    def trunk(self) -> str | None:
        """The carrier trunk's peer name, if one is configured."""
        return next((p.name for p in self.sip_peers if p.kind == "trunk"), None)

    def seat_rules(self) -> SeatRules:
        """The agent seats and queues this PBX has; simulated answerers only without a trunk."""
        queues = DEFAULT_QUEUES + tuple(Queue(name) for name in self.legacy_queues)
        return SeatRules(extensions=frozenset(self.agent_extensions),
                         queues=frozenset(q.name for q in queues),
                         simulated_agents=self.trunk is None)

    def dialing(self) -> Dialing:
        """The dial strings of the people the controller brings into a call."""
        default = Dialing.through(self.trunk, self.ring_timeout_seconds)
        return replace(default, unit=self.dial_unit or default.unit,
                       agent=self.dial_agent or default.agent,
                       supervisor=self.dial_supervisor or default.supervisor)

    def ensure_data_dir(self) -> Path:
        """The data folder, 0700 (made, or closed if an earlier version left it open)."""
        return data_folder(self.data_dir)

    def _generated(self, name: str, make: Callable[[], str]) -> str:
        """A secret stored in ``data_dir/secrets.json`` (0600), made on first use."""
        path = self.ensure_data_dir() / "secrets.json"
        # Locked, so two processes starting together generate one secret, not two.
        with os.fdopen(open_lock(self.data_dir / ".secrets.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            stored: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
            if name not in stored:
                stored[name] = make()
                write_secret(path, json.dumps(stored))
        return str(stored[name])


def load_settings(**overrides: Any) -> Settings:
    """Settings from every source, with ``overrides`` winning."""
    return Settings(**overrides)
