"""The rendered Asterisk configuration says what it must: loopback AMI, no toll fraud, ..."""

import re
import secrets
from pathlib import Path, PurePosixPath

import pytest

from hotline.settings import Settings
from telephony.errors import TelephonyError
from telephony.pbx.render import (
    DEFAULT_QUEUES,
    MODULES,
    Agent,
    Layout,
    PbxConfig,
    Queue,
    SipPeer,
    render,
)

SECRET = secrets.token_urlsafe(32)
ASTDB_SECRET = secrets.token_urlsafe(32)
LAYOUT = Layout(PurePosixPath("/var/lib/hotline-instances/test"),
                PurePosixPath("/usr/lib/x86_64-linux-gnu/asterisk/modules"))
# Contexts a call or a softphone can enter without the controller: SIP lines, the trunk,
# the agents' endpoints (and the simulator's entry, which behaves like the trunk).
ENTRY_CONTEXTS = ("from-trunk", "from-line", "agents", "sim-dial")


def make_config(**overrides: object) -> PbxConfig:
    values: dict[str, object] = {
        "ami_secret": SECRET, "astdb_secret": ASTDB_SECRET, "ami_port": 15038,
        "sip_port": 15060,
        "rtp_port_start": 20000, "rtp_port_end": 20099,
        "agents": (Agent("8001", secrets.token_urlsafe(18)),
                   Agent("8002", secrets.token_urlsafe(18))),
        "queues": (*DEFAULT_QUEUES, Queue("water-96310", legacy_line=True)),
        "peers": (SipPeer("carrier", "trunk", "127.0.0.1", 5070),
                  SipPeer("water-unit", "unit", "127.0.0.1", 5071),
                  SipPeer("police-110", "emergency", "127.0.0.1", 5072)),
    }
    values.update(overrides)
    return PbxConfig(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("instance")
    render(make_config(), LAYOUT, out)
    return {str(path.relative_to(out)).removeprefix("etc/"): path.read_text()
            for path in out.rglob("*") if path.is_file()}


def section(text: str, name: str) -> str:
    """The lines of ``[name]`` (templates included in the header), up to the next section."""
    found = re.search(rf"^\[{re.escape(name)}\][^\n]*\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert found, f"no [{name}]"
    return found.group(1)


def settings_of(text: str) -> list[tuple[str, str]]:
    """``key = value`` pairs in order, comments dropped."""
    pairs = []
    for line in text.splitlines():
        line = line.split(";", 1)[0].strip()
        if "=" in line:
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip().lstrip(">").strip()))
    return pairs


def test_manager_listens_on_loopback_with_the_generated_secret(rendered: dict[str, str]) -> None:
    general = dict(settings_of(section(rendered["manager.conf"], "general")))
    assert general["bindaddr"] == "127.0.0.1"
    assert general["port"] == "15038"
    assert general["webenabled"] == "no"
    user = settings_of(section(rendered["manager.conf"], "hotline"))
    assert ("secret", SECRET) in user
    keys = [key for key, _ in user]
    assert keys.index("deny") < keys.index("permit")  # deny all, then permit loopback
    assert ("deny", "0.0.0.0/0.0.0.0") in user
    assert ("permit", "127.0.0.1/255.255.255.255") in user
    assert [k for k, _ in user].count("permit") == 1


def test_manager_grants_no_command_or_config_class(rendered: dict[str, str]) -> None:
    user = dict(settings_of(section(rendered["manager.conf"], "hotline")))
    for direction in ("read", "write"):
        classes = set(user[direction].split(","))
        assert classes, direction
        assert not classes & {"command", "config", "all"}, direction
    # `system` grants GetConfig and ModuleLoad: the controller never writes with it
    assert "system" not in user["write"].split(",")


def test_only_the_astdb_writer_has_system_and_nothing_else(rendered: dict[str, str]) -> None:
    writer = settings_of(section(rendered["manager.conf"], "hotline-astdb"))
    assert ("secret", ASTDB_SECRET) in writer
    assert [(k, v) for k, v in writer if k in ("deny", "permit")] == [
        ("deny", "0.0.0.0/0.0.0.0"), ("permit", "127.0.0.1/255.255.255.255")]
    assert dict(writer)["write"] == "system" and "read" not in dict(writer)


@pytest.mark.parametrize("overrides", [
    {"ami_host": "0.0.0.0"}, {"ami_host": "192.168.1.10"}, {"ami_secret": "secret"},
    {"ami_secret": "short"}, {"ami_secret": "changeme" * 3 + "\n[evil]"},
    {"astdb_secret": "secret"}, {"astdb_secret": SECRET}, {"astdb_username": "hotline"},
    {"astdb_username": "w]\n[evil"},
    {"agents": (Agent("8001", "password"),)},
    {"agents": (Agent("8001]\n[evil", secrets.token_urlsafe(18)),)},
    {"queues": (Queue("general"),)},
])
def test_unsafe_configurations_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(TelephonyError) as caught:
        make_config(**overrides)
    assert caught.value.error_id == "invalid-pbx-config"


def test_settings_generate_the_secrets_once(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path, agent_count=3).pbx_config()
    again = Settings(data_dir=tmp_path, agent_count=3).pbx_config()
    other = Settings(data_dir=tmp_path / "other", agent_count=3).pbx_config()
    assert first.ami_secret == again.ami_secret != other.ami_secret
    assert [a.extension for a in first.agents] == ["8001", "8002", "8003"]
    assert first.agents == again.agents
    assert len({a.password for a in first.agents}) == 3
    assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0


def test_modules_load_only_what_is_listed(rendered: dict[str, str]) -> None:
    pairs = settings_of(rendered["modules.conf"])
    assert pairs[0] == ("autoload", "no")
    loaded = {value.removesuffix(".so") for key, value in pairs if key == "load"}
    assert loaded == {m for _, modules in MODULES for m in modules}
    needed = {"chan_pjsip", "app_queue", "app_confbridge", "app_mixmonitor", "app_chanspy",
              "res_agi", "res_audiosocket", "chan_audiosocket", "func_db", "app_playback",
              "app_read", "res_musiconhold", "codec_ulaw", "codec_alaw", "format_wav",
              "format_gsm", "format_sln", "res_rtp_asterisk", "bridge_simple", "pbx_config",
              "app_dial", "app_echo", "func_callerid", "codec_resample", "res_timing_timerfd"}
    assert needed <= loaded
    # Shell access, other channel drivers and unused servers stay out.
    assert not loaded & {"app_system", "func_shell", "app_externalivr", "chan_iax2",
                         "chan_sip", "res_ari", "res_http_websocket", "pbx_lua", "pbx_ael"}


def test_pjsip_agents_need_their_password_and_land_in_agents(rendered: dict[str, str]) -> None:
    pjsip = rendered["pjsip.conf"]
    assert ("bind", "127.0.0.1:15060") in settings_of(section(pjsip, "transport-udp"))
    assert "[anonymous]" not in pjsip  # no endpoint for requests nobody is identified as
    order = dict(settings_of(section(pjsip, "global")))["endpoint_identifier_order"]
    assert order == "ip,username"
    endpoint = dict(settings_of(section(pjsip, "agent-endpoint")))
    assert endpoint["context"] == "agents"
    # The passwords are outside etc, where AMI's GetConfig does not read (sorcery.conf).
    auths = rendered["secrets/pjsip-auth.conf"]
    for agent in make_config().agents:
        blocks = re.findall(rf"^\[{agent.extension}\]\(([^)]*)\)\n(.*?)(?=^\[|\Z)",
                            pjsip + auths, re.M | re.S)
        by_template = {template: dict(settings_of(body)) for template, body in blocks}
        assert by_template["agent-endpoint"]["auth"] == agent.extension
        assert len(by_template["agent-auth"]["password"]) >= 16
    assert "password" not in dict(settings_of(pjsip))
    assert dict(settings_of(section(auths, "agent-auth")))["type"] == "auth"
    mapping = dict(settings_of(section(rendered["sorcery.conf"], "res_pjsip")))
    assert mapping == {"auth": f"config,{LAYOUT.secrets}/pjsip-auth.conf,criteria=type=auth"}
    passwords = {value for key, value in settings_of(auths) if key == "password"}
    assert len(passwords) == 2 and all(len(p) >= 16 for p in passwords)


def test_pjsip_lines_are_identified_by_address_and_port(rendered: dict[str, str]) -> None:
    pjsip = rendered["pjsip.conf"]
    assert dict(settings_of(section(pjsip, "trunk-endpoint")))["context"] == "from-trunk"
    assert dict(settings_of(section(pjsip, "unit-line-endpoint")))["context"] == "from-line"
    assert dict(settings_of(section(pjsip, "emergency-line-endpoint")))["context"] == "from-line"
    assert "match = 127.0.0.1:5070" in pjsip
    assert "[carrier](trunk-endpoint)" in pjsip
    assert "[police-110](emergency-line-endpoint)" in pjsip


def dialplan(text: str) -> dict[str, list[str]]:
    """Context name → the application calls in it (``App(args)``), includes as ``include``."""
    contexts: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].strip()
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            current = header.group(1)
            contexts[current] = []
        elif line.startswith(("exten", "same")):
            contexts[current].append(line.split(",", 2)[-1])
        elif line.startswith("include"):
            contexts[current].append("include " + line.split("=>", 1)[1].strip())
    return contexts


def reachable(contexts: dict[str, list[str]], start: str) -> set[str]:
    """Contexts a call entering ``start`` can get to through the dialplan alone."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen or name not in contexts:
            continue
        seen.add(name)
        for app in contexts[name]:
            todo += re.findall(r"([a-z][a-z0-9-]*),[^,()?:]+,(?:\d+|n)", app)
            if app.startswith("include "):
                todo.append(app.split()[1])
    return seen


def test_checker_sees_a_path_to_the_trunk() -> None:
    contexts = dialplan("[a]\nexten => 1,1,GotoIf($[1]?b,s,1)\n[b]\ninclude => c\n[c]\n"
                        "exten => _X.,1,Dial(PJSIP/${EXTEN}@carrier)\n")
    assert reachable(contexts, "a") == {"a", "b", "c"}


@pytest.mark.parametrize("entry", ENTRY_CONTEXTS)
def test_no_dialplan_path_from_outside_or_agents_dials_out(rendered: dict[str, str],
                                                           entry: str) -> None:
    contexts = dialplan(rendered["extensions.conf"])
    assert entry in contexts
    paths = reachable(contexts, entry)
    assert "outbound-revisit" not in paths
    for name in paths:
        for app in contexts[name]:
            assert not app.startswith(("Dial(", "Originate(", "include ")), (name, app)
            assert "OUTBOUND_TRUNK" not in app and "PJSIP/" not in app, (name, app)


def test_from_trunk_answers_12345_and_legacy_numbers_only(rendered: dict[str, str]) -> None:
    text = section(rendered["extensions.conf"], "from-trunk")
    extensions = re.findall(r"^exten => ([^,]+),", text, re.M)
    assert extensions == ["12345", "_[+0-9]."]
    assert "DB_EXISTS(legacy/" in text
    assert "Hangup(1)" in text  # anything else is an unallocated number


def test_inbound_path_is_fail_safe(rendered: dict[str, str]) -> None:
    ext = rendered["extensions.conf"]
    inbound = section(ext, "hotline-inbound")
    assert "AGI(${AGI_URL}/ivr)" in inbound
    assert inbound.index("AGI(") < inbound.index("Goto(hotline-queue,s,1)")
    assert "AGI_URL = agi://127.0.0.1:4573" in ext
    assert "DB_EXISTS(block/${CALLER})" in section(ext, "hotline-screen")
    assert "FILTER(0-9,${CALLERID(num)})" in section(ext, "hotline-screen")
    assert "Queue(${MAIN_QUEUE})" in section(ext, "hotline-queue")
    assert "MAIN_QUEUE = main" in ext


def test_queues_wait_for_agents(rendered: dict[str, str]) -> None:
    queues = rendered["queues.conf"]
    defaults = dict(settings_of(section(queues, "queue-defaults")))
    assert defaults["joinempty"] == "yes" and defaults["leavewhenempty"] == "no"
    assert defaults["announce-holdtime"] == "no"
    for name in ("main", "enterprise", "dialect"):
        assert f"[{name}](queue-defaults)" in queues
    assert "[water-96310](legacy-line)" in queues


def test_paths_ports_and_logs_are_the_instance_s(rendered: dict[str, str]) -> None:
    directories = dict(settings_of(section(rendered["asterisk.conf"], "directories")))
    for key in ("astetcdir", "astdbdir", "astspooldir", "astrundir", "astlogdir"):
        assert directories[key].startswith(str(LAYOUT.instance)), key
    rtp = dict(settings_of(rendered["rtp.conf"]))
    assert (rtp["rtpstart"], rtp["rtpend"]) == ("20000", "20099")
    assert f"directory = {LAYOUT.instance}/moh" in rendered["musiconhold.conf"]
    assert "conference" in dialplan(rendered["extensions.conf"])
    assert "[hotline-bridge]" in rendered["confbridge.conf"]
