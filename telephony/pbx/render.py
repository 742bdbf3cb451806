"""Render ``asterisk-config/*.j2`` from a typed, frozen ``PbxConfig``."""

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

import jinja2

from telephony.errors import TelephonyError
from telephony.pbx.account import Account, open_readable

ASTERISK_DATA = PurePosixPath("/usr/share/asterisk")  # sounds, documentation
TEMPLATES = Path(__file__).resolve().parents[2] / "asterisk-config"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
SAFE_SECRET = re.compile(r"^[A-Za-z0-9_.~-]{16,128}$")
WEAK_SECRETS = {"secret", "changeme", "password", "amp111", "hotline", "admin"}
PeerKind = Literal["trunk", "unit", "emergency"]

# What modules.conf loads, by purpose; anything not listed stays unloaded (autoload = no).
MODULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("configuration objects and timing (PJSIP keeps registrations in AstDB)",
     ("res_sorcery_config", "res_sorcery_memory", "res_sorcery_astdb", "res_timing_timerfd")),
    ("SIP: agents' softphones, the carrier trunk, unit and emergency lines",
     ("res_pjproject", "res_pjsip", "res_pjsip_session", "res_pjsip_sdp_rtp",
      "res_pjsip_authenticator_digest", "res_pjsip_outbound_authenticator_digest",
      "res_pjsip_endpoint_identifier_ip", "res_pjsip_endpoint_identifier_user",
      "res_pjsip_registrar", "res_pjsip_caller_id", "res_pjsip_dtmf_info", "res_pjsip_nat",
      "res_pjsip_rfc3326", "res_pjsip_pubsub", "res_pjsip_refer", "res_pjsip_diversion",
      "res_pjsip_header_funcs", "res_pjsip_dlg_options", "res_pjsip_logger", "chan_pjsip")),
    ("media: RTP, the codecs softphones and carriers speak, slin16 for AudioSocket",
     ("res_rtp_asterisk", "codec_ulaw", "codec_alaw", "codec_a_mu", "codec_gsm", "codec_g722",
      "codec_resample", "format_wav", "format_gsm", "format_sln", "format_pcm")),
    ("bridging: two-party, native RTP, conferences, holding (queues), transfer features",
     ("bridge_simple", "bridge_native_rtp", "bridge_softmix", "bridge_holding",
      "bridge_builtin_features", "bridge_builtin_interval_features")),
    ("dialplan: extensions.conf and the applications it uses",
     ("pbx_config", "app_dial", "app_echo", "app_playback", "app_read", "app_senddtmf",
      "app_stack", "app_verbose", "app_exec", "app_userevent", "app_while")),
    ("dialplan functions: AstDB, caller id, channel, strings, logic",
     ("func_db", "func_callerid", "func_channel", "func_strings", "func_cut", "func_logic",
      "func_global", "func_timeout", "func_uuid", "func_hangupcause", "func_dialplan")),
    ("call centre: queues, three-party conferences, recording, monitoring, hold music",
     ("app_queue", "app_confbridge", "app_mixmonitor", "app_chanspy", "res_musiconhold")),
    ("platform links: IVR over FastAGI, audio to the recognizer over AudioSocket",
     ("res_agi", "res_speech", "res_audiosocket", "app_audiosocket", "chan_audiosocket")),
)


@dataclass(frozen=True)
class Agent:
    """An agent's softphone endpoint."""

    extension: str
    password: str


@dataclass(frozen=True)
class Queue:
    """A queue; ``code`` is the digit of its login (*4N) and logout (*5N) feature codes."""

    name: str
    code: int | None = None
    strategy: Literal["ringall", "rrmemory", "leastrecent", "fewestcalls"] = "rrmemory"
    legacy_line: bool = False  # a legacy line's own queue, keeping its specialist seats


@dataclass(frozen=True)
class SipPeer:
    """A SIP line identified by its address: the carrier trunk, a unit's or an emergency line."""

    name: str
    kind: PeerKind
    host: str
    port: int = 5060


# The general queue is `main`: Asterisk reserves `[general]` in queues.conf for settings.
# The first queue is where every call ends up when nothing else takes it.
DEFAULT_QUEUES = (Queue("main", 1), Queue("enterprise", 2), Queue("dialect", 3))
# Tech/resource[@context][/options]: no commas, semicolons or newlines to inject with.
SAFE_DIAL = re.compile(r"[A-Za-z]+/[A-Za-z0-9_.+@/-]{1,80}")
RESERVED_NAMES = {"general", "globals"}


@dataclass(frozen=True)
class PbxConfig:
    """Everything the rendered Asterisk configuration depends on."""

    ami_secret: str = field(repr=False)
    astdb_secret: str = field(repr=False)  # the AstDB writer's AMI login (manager.conf)
    agents: tuple[Agent, ...] = ()
    ami_host: str = "127.0.0.1"
    ami_port: int = 5038
    ami_username: str = "hotline"
    astdb_username: str = "hotline-astdb"
    sip_host: str = "127.0.0.1"
    sip_port: int = 5060
    rtp_port_start: int = 10000
    rtp_port_end: int = 10999
    queues: tuple[Queue, ...] = DEFAULT_QUEUES
    peers: tuple[SipPeer, ...] = ()
    agi_host: str = "127.0.0.1"
    agi_port: int = 4573
    audiosocket_host: str = "127.0.0.1"
    audiosocket_port: int = 9092
    hotline_number: str = "12345"
    system_name: str = "hotline"
    provincial_line: str = "Local/053112345@sim-agent/n"  # dial string of the provincial 12345
    # The IVR's prompt folders on the host, copied into the instance's prompts/<name> at start.
    prompts: tuple[tuple[str, Path], ...] = ()

    def __post_init__(self) -> None:
        check_config(self)

    @property
    def trunk(self) -> SipPeer | None:
        """The carrier trunk outbound calls (revisits, callbacks) leave through."""
        return next((peer for peer in self.peers if peer.kind == "trunk"), None)


@dataclass(frozen=True)
class Layout:
    """Where an instance's files are, as Asterisk sees them (inside its root)."""

    instance: PurePosixPath
    modules: PurePosixPath
    data: PurePosixPath = ASTERISK_DATA
    run_as: str | None = "asterisk"

    def __getattr__(self, name: str) -> PurePosixPath:
        # etc, log, spool, run, db, keys, cache, varlib, sounds, moh: one folder each
        if name in INSTANCE_DIRS:
            return self.instance / name
        raise AttributeError(name)

    @property
    def recordings(self) -> PurePosixPath:
        """MixMonitor's relative file names land in the spool's monitor folder."""
        return self.instance / "spool" / "monitor"


# Files Asterisk reads at start whose defaults are right: written so it finds them.
DEFAULTS_ONLY = ("acl.conf", "ccss.conf", "cel.conf", "pjproject.conf", "stasis.conf",
                 "udptl.conf")
INSTANCE_DIRS = ("etc", "secrets", "log", "spool", "run", "db", "keys", "cache", "varlib",
                 "sounds", "moh")
# Asterisk's own (0700): logs with callers' numbers, recordings, AstDB. Read only by it
# (root:asterisk 2750): the configuration, the SIP passwords, the simulator's sounds, hold
# music.
WRITABLE_DIRS = ("log", "spool", "run", "db", "keys", "cache", "varlib")
READABLE_DIRS = ("etc", "secrets", "sounds", "moh")
# Rendered outside etc: AMI's GetConfig reads any file in etc, none outside (manager.c).
SECRET_TEMPLATES = frozenset({"pjsip-auth.conf.j2"})


class InvalidPbxConfig(TelephonyError):
    status = 422
    error_id = "invalid-pbx-config"


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def check_config(config: PbxConfig) -> None:
    """Refuse values that would open AMI, weaken a secret or inject into a config file."""
    if not _is_loopback(config.ami_host):
        raise InvalidPbxConfig("AMI must listen on loopback only", ami_host=config.ami_host)
    secrets = {"ami_secret": config.ami_secret, "astdb_secret": config.astdb_secret}
    secrets |= {f"agent {a.extension}": a.password for a in config.agents}
    for what, secret in secrets.items():
        if not SAFE_SECRET.match(secret) or secret.lower() in WEAK_SECRETS:
            raise InvalidPbxConfig(f"{what}: a generated secret of 16+ URL-safe characters "
                                   "is required", field=what)
    if config.ami_username == config.astdb_username or config.ami_secret == config.astdb_secret:
        raise InvalidPbxConfig("the controller and the AstDB writer need logins of their own")
    names = [config.ami_username, config.astdb_username, config.system_name,
             config.hotline_number]
    names += [a.extension for a in config.agents] + [q.name for q in config.queues]
    names += [p.name for p in config.peers] + [p.host for p in config.peers]
    names += [config.sip_host, config.agi_host, config.audiosocket_host]
    names += [name for name, _ in config.prompts]
    if RESERVED_NAMES & {q.name for q in config.queues} or not config.queues:
        raise InvalidPbxConfig("queue names may not be general or globals; one is needed")
    for name in names:
        if not SAFE_NAME.match(name):
            raise InvalidPbxConfig(f"unsafe name in the PBX configuration: {name!r}", name=name)
    if not SAFE_DIAL.fullmatch(config.provincial_line):
        raise InvalidPbxConfig("the provincial line must be a plain dial string",
                               provincial_line=config.provincial_line)
    if not 0 < config.rtp_port_start <= config.rtp_port_end < 65536:
        raise InvalidPbxConfig("bad RTP port range", start=config.rtp_port_start,
                               end=config.rtp_port_end)


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Jinja for config files: strict about missing values, no HTML escaping."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def render(config: PbxConfig, layout: Layout, instance_dir: Path,
           account: Account | None = None, templates: Path = TEMPLATES) -> list[Path]:
    """Write every ``*.j2`` template into ``instance_dir``'s etc (or secrets); the files."""
    env = environment(templates)
    etc, hidden = instance_dir / "etc", instance_dir / "secrets"
    for folder in (etc, hidden):
        folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(env.list_templates(extensions=["j2"])):
        text = env.get_template(name).render(config=config, layout=layout,
                                             load_groups=MODULES)
        target = (hidden if name in SECRET_TEMPLATES else etc) / name.removesuffix(".j2")
        _write(target, text, account)
        written.append(target)
    for name in DEFAULTS_ONLY:
        _write(etc / name, "; Rendered by the hotline platform: Asterisk's defaults.\n",
               account)
        written.append(etc / name)
    return written


def _write(target: Path, text: str, account: Account | None) -> None:
    """Replace ``target`` at once; 0640 root:asterisk from the start (secrets are in it)."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)  # a crash's leftover: its mode is not to be trusted
    with os.fdopen(open_readable(tmp, account), "w") as out:
        out.write(text)
    os.replace(tmp, target)
