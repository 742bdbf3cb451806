"""The real Asterisk 22, from the project's root directory, on free loopback ports.

In CI (``CI=true``) a missing root or mmdebstrap fails these tests; elsewhere they skip.
"""

import shutil
import socket
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotline.cli.main import app
from telephony.errors import AmiLoginRefused
from telephony.pbx import process
from telephony.pbx.probe import AmiSession, Message, asterisk_version
from telephony.pbx.render import MODULES
from tests.telephony.conftest import (
    Running,
    env_of,
    free_port,
    instance_settings,
    unavailable,
)


async def test_ami_login_reports_asterisk_22(pbx: Running) -> None:
    c = pbx.config
    version = await asterisk_version(c.ami_host, c.ami_port, c.ami_username, c.ami_secret)
    assert version.startswith("22.")


async def test_a_wrong_secret_is_refused(pbx: Running) -> None:
    c = pbx.config
    with pytest.raises(AmiLoginRefused):
        await asterisk_version(c.ami_host, c.ami_port, c.ami_username, c.ami_secret + "x")
    with pytest.raises(AmiLoginRefused):
        await asterisk_version(c.ami_host, c.ami_port, "admin", "amp111")


async def test_ami_refuses_any_address_but_127_0_0_1(pbx: Running) -> None:
    async with await AmiSession.connect(pbx.config.ami_host, pbx.config.ami_port,
                                        local_host="127.0.0.2") as session:
        with pytest.raises(AmiLoginRefused):
            await session.login(pbx.config.ami_username, pbx.config.ami_secret)


def test_cli_says_version_22_and_loads_the_listed_modules(pbx: Running) -> None:
    assert pbx.cli("core show version").startswith("Asterisk 22.")
    shown = pbx.cli("module show")
    loaded = {line.split()[0].removesuffix(".so") for line in shown.splitlines() if line}
    assert {m for _, modules in MODULES for m in modules} <= loaded
    assert not loaded & {"app_system", "func_shell", "chan_iax2", "res_ari"}
    assert "8001" in pbx.cli("pjsip show endpoints")


def test_status_command_prints_the_version(pbx: Running) -> None:
    result = CliRunner().invoke(app, ["asterisk", "status"], env=env_of(pbx.settings))
    assert result.exit_code == 0, result.output
    assert "Asterisk 22." in result.output and "running" in result.output


async def call(ami: AmiSession, number: str, caller: str, steps: str = "") -> str:
    """A simulated call to ``number``; the name of the channel that enters the dialplan."""
    response = await ami.action(
        "Originate", Channel=f"Local/{number}@sim-dial", Context="sim-caller", Exten="s",
        Priority="1", Async="true", CallerID=caller,
        Variable=f"SIM_FROM={caller},SIM_STEPS={steps},SIM_HOLD=30")
    assert response["Response"] == "Success", response
    event = await ami.wait_event(lambda e: e["Event"] == "Newchannel"
                                 and e.get("Exten") == number and e["Channel"].endswith(";2"))
    return event["Channel"]


def on(channel: str, name: str, **fields: str) -> Callable[[Message], bool]:
    """Match event ``name`` of ``channel`` with ``fields``."""
    def match(event: Message) -> bool:
        return (event["Event"] == name and event.get("Channel") == channel
                and all(event.get(k) == v for k, v in fields.items()))
    return match


async def hang_up(ami: AmiSession, channel: str) -> None:
    await ami.action("Hangup", Channel=channel)
    await ami.wait_event(on(channel, "Hangup"))


async def test_a_call_is_queued_and_answered_without_the_platform(
    pbx: Running, ami: AmiSession
) -> None:
    # No AGI server listens on agi_port: the IVR is down, and the call still gets through.
    added = await ami.action("QueueAdd", Queue="main", Interface="Local/8001@sim-agent/n",
                             MemberName="8001")
    assert added["Response"] == "Success", added
    try:
        channel = await call(ami, "12345", "13800138000", "dtmf:1")
        fallback = await ami.wait_event(on(channel, "UserEvent", UserEvent="HotlineIvrFallback"))
        assert fallback["Status"] == "FAILURE"
        joined = await ami.wait_event(on(channel, "QueueCallerJoin", Queue="main"))
        assert joined["ChanVariable(HOTLINE_LINE)"] == "12345"
        connected = await ami.wait_event(on(channel, "AgentConnect"))
        assert connected["MemberName"] == "8001"
        await hang_up(ami, channel)
    finally:
        await ami.action("QueueRemove", Queue="main", Interface="Local/8001@sim-agent/n")


async def put(astdb: AmiSession, family: str, key: str, value: str) -> None:
    """Write AstDB as the platform does: the AstDB writer's login."""
    response = await astdb.action("DBPut", Family=family, Key=key, Val=value)
    assert response["Response"] == "Success", response


async def test_a_legacy_number_is_tagged_with_its_line(
    pbx: Running, ami: AmiSession, astdb: AmiSession
) -> None:
    await put(astdb, "legacy", "96310", "forward,water,enterprise")
    channel = await call(ami, "96310", "13800138001")
    joined = await ami.wait_event(on(channel, "QueueCallerJoin", Queue="enterprise"))
    assert joined["ChanVariable(HOTLINE_LINE)"] == "water"
    assert joined["ChanVariable(HOTLINE_DIALED)"] == "96310"
    assert joined["ChanVariable(HOTLINE_MODE)"] == "forward"
    await hang_up(ami, channel)


async def test_a_parallel_line_is_answered_by_its_queue(
    pbx: Running, ami: AmiSession, astdb: AmiSession
) -> None:
    await put(astdb, "legacy", "+8643512319", "parallel,gas,dialect")
    channel = await call(ami, "+8643512319", "13800138003")
    joined = await ami.wait_event(on(channel, "QueueCallerJoin", Queue="dialect"))
    assert joined["ChanVariable(HOTLINE_LINE)"] == "gas"
    assert joined["ChanVariable(HOTLINE_MODE)"] == "parallel"
    assert not [e for e in ami.events if e.get("Channel") == channel
                and e.get("Application") == "AGI"]  # the department answers: no IVR
    await hang_up(ami, channel)


async def test_an_unknown_number_is_unallocated(pbx: Running, ami: AmiSession) -> None:
    channel = await call(ami, "96999", "13800138002")
    hangup = await ami.wait_event(on(channel, "Hangup"))
    assert hangup["Cause"] == "1"


async def test_a_blocked_caller_is_refused_and_an_expired_block_lifted(
    pbx: Running, ami: AmiSession, astdb: AmiSession
) -> None:
    await put(astdb, "block", "13900000000", "0")
    channel = await call(ami, "12345", "13900000000")
    await ami.wait_event(on(channel, "UserEvent", UserEvent="HotlineBlocked"))
    assert (await ami.wait_event(on(channel, "Hangup")))["Cause"] == "21"

    await put(astdb, "block", "13900000001", "1")  # ended in 1970
    channel = await call(ami, "12345", "13900000001")
    await ami.wait_event(on(channel, "QueueCallerJoin"))
    gone = await ami.action("DBGet", Family="block", Key="13900000001")
    assert gone["Response"] == "Error" and "not found" in gone["Message"], gone
    await hang_up(ami, channel)


async def test_a_blocked_caller_hears_the_built_mandarin_prompt_not_the_english_sounds(
    pbx: Running, ami: AmiSession, astdb: AmiSession
) -> None:
    built = pbx.instance.run_dir / "prompts" / "built"
    built.mkdir(parents=True, exist_ok=True)
    with wave.open(str(built / "blocked.wav16"), "wb") as prompt:  # 0.2 s of silence
        prompt.setnchannels(1)
        prompt.setsampwidth(2)
        prompt.setframerate(16000)
        prompt.writeframes(b"\0\0" * 3200)
    try:
        await put(astdb, "block", "13900000002", "0")
        channel = await call(ami, "12345", "13900000002")
        assert (await ami.wait_event(on(channel, "Hangup"), 20))["Cause"] == "21"
        statuses = [e["Value"] for e in ami.events if e.get("Channel") == channel
                    and e["Event"] == "VarSet" and e.get("Variable") == "PLAYBACKSTATUS"]
        # no recording in override/, the built prompt played, and nothing after it
        assert statuses == ["FAILED", "SUCCESS"]
    finally:
        (built / "blocked.wav16").unlink()


def test_start_is_idempotent_and_stop_stops(asterisk_root: Path, tmp_path: Path) -> None:
    running = Running(instance_settings(tmp_path, asterisk_root))
    try:
        first = process.start(running.instance, running.config)
        again = process.start(running.instance, running.config)
        assert first.running and again.pid == first.pid
        assert first.pid is not None
        assert process.stop(running.instance) is True
        assert not process.wait_for(lambda: Path(f"/proc/{first.pid}").exists(), 0)
        assert process.stop(running.instance) is False
        result = CliRunner().invoke(app, ["asterisk", "status"], env=env_of(running.settings))
        assert result.exit_code == 3 and "not running" in result.output
    finally:
        process.stop(running.instance)
        shutil.rmtree(running.instance.run_dir, ignore_errors=True)


SCENARIOS = Path(__file__).parent / "sipp"


def sipp(pbx: Running, scenario: str, service: str, workdir: Path, *args: str,
         port: int | None = None) -> subprocess.Popen[bytes]:
    """SIPp playing ``scenario`` once against the instance, from ``port`` on loopback."""
    if shutil.which("sipp") is None:
        unavailable("SIPp is missing: run scripts/install-system-packages")
    command = ["sipp", f"127.0.0.1:{pbx.settings.sip_port}", "-sf", str(SCENARIOS / scenario),
               "-s", service, "-i", "127.0.0.1", "-p", str(port or free_port(socket.SOCK_DGRAM)),
               "-mp", str(free_port(socket.SOCK_DGRAM)), "-m", "1", "-timeout", "20s",
               "-timeout_error", "-nostdin", "-trace_err", *args]
    return subprocess.Popen(command, cwd=workdir, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def finished(proc: subprocess.Popen[bytes]) -> int:
    """SIPp's exit status (0: every call went as the scenario says)."""
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return proc.returncode


def contacts(pbx: Running) -> str:
    return pbx.cli("pjsip show contacts")


def test_an_agent_registers_over_sip_with_its_password(pbx: Running, tmp_path: Path) -> None:
    agent = pbx.config.agents[0]
    finished(sipp(pbx, "register.xml", agent.extension, tmp_path,
                  "-au", agent.extension, "-ap", agent.password))
    assert f"{agent.extension}/sip:{agent.extension}@127.0.0.1" in contacts(pbx)


def test_sip_without_or_with_wrong_credentials_is_refused(pbx: Running, tmp_path: Path) -> None:
    agent = pbx.config.agents[1]
    finished(sipp(pbx, "register-refused.xml", agent.extension, tmp_path,
                  "-au", agent.extension, "-ap", agent.password + "x"))
    assert f"{agent.extension}/sip:" not in contacts(pbx)
    # An INVITE that names no line and carries no credentials is challenged, never routed.
    finished(sipp(pbx, "invite-refused.xml", "12345", tmp_path, "-key", "caller", "13800138000"))
    finished(sipp(pbx, "invite-refused.xml", "12345", tmp_path, "-key", "caller",
                  agent.extension))


async def test_a_call_from_the_carrier_trunk_reaches_the_queue(
    pbx: Running, ami: AmiSession, tmp_path: Path
) -> None:
    trunk = pbx.config.peers[0]
    proc = sipp(pbx, "trunk-call.xml", "12345", tmp_path, "-key", "caller", "13800138009",
                port=trunk.port)
    try:
        joined = await ami.wait_event(lambda e: e["Event"] == "QueueCallerJoin"
                                      and e["Channel"].startswith("PJSIP/carrier-"), 20)
        assert joined["CallerIDNum"] == "13800138009"
        assert joined["ChanVariable(HOTLINE_LINE)"] == "12345"
        await hang_up(ami, joined["Channel"])
        finished(proc)
    finally:
        proc.kill()
        proc.wait()


async def test_the_trunk_cannot_dial_through_to_agents_units_or_the_outside(
    pbx: Running, ami: AmiSession, tmp_path: Path
) -> None:
    """No toll fraud: only 12345 and the legacy numbers are answered from the carrier."""
    trunk = pbx.config.peers[0]
    ami.events.clear()
    for number in (pbx.config.agents[0].extension, "9001", "008613800138000", "12345678901",
                   "s", "*97"):
        finished(sipp(pbx, "trunk-call-refused.xml", number, tmp_path, "-key", "caller",
                      "13800138009", port=trunk.port))
    await ami.action("Ping")  # reads every event Asterisk sent before it
    # Digits reach from-trunk and hang up as unallocated; "s" and "*97" match no extension of
    # from-trunk at all, so PJSIP answers 404 before a channel exists.
    refused = [e for e in ami.events if e.get("Event") == "Hangup"]
    assert len(refused) == 4 and {e["Cause"] for e in refused} == {"1"}
    assert not [e for e in ami.events if e.get("Event") in ("DialBegin", "QueueCallerJoin")]


async def test_the_conference_room_holds_the_parties(pbx: Running, ami: AmiSession) -> None:
    joined = []
    for caller in ("13800138010", "13800138011"):
        response = await ami.action(
            "Originate", Channel="Local/5001@conference", Context="sim-caller", Exten="s",
            Priority="1", Async="true", CallerID=caller, Variable="SIM_HOLD=30")
        assert response["Response"] == "Success", response
        joined.append(await ami.wait_event(lambda e: e["Event"] == "ConfbridgeJoin"
                                           and e.get("Conference") == "5001"
                                           and e["Channel"] not in [j["Channel"] for j in joined]))
    first, second = (j["Channel"] for j in joined)
    await hang_up(ami, first)  # one party leaves; the other stays in the room
    listed = await ami.action("ConfbridgeList", Conference="5001")
    assert listed["Response"] == "Success", listed
    await hang_up(ami, second)
