"""Place simulated calls and log in simulated agents through the dialplan's sim contexts.

A caller is ``Originate Local/<to>@sim-dial`` into ``sim-caller`` with ``SIM_FROM``,
``SIM_STEPS`` and ``SIM_HOLD``; an agent is the queue member ``Local/<ext>@sim-agent/n``
whose steps live in AstDB ``sim-agent/<ext>``. Audio is converted with sox into the
instance's sounds folder (the dialplan's ``SIM_SOUNDS``) and played from there.
"""

import asyncio
import contextlib
import hashlib
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from telephony.ami.errors import AmiActionFailed, AmiError
from telephony.ami.events import (
    AgentConnect,
    AmiEvent,
    CoreShowChannel,
    Hangup,
    QueueCallerJoin,
    QueueMember,
    QueueParams,
)
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest, OriginateResult
from telephony.errors import AmiUnreachable, TelephonyError
from telephony.pbx.probe import AmiSession

SIM_AGENT_FIRST = 9001  # apart from the softphones (8001…), so neither shadows the other
_NUMBER = re.compile(r"\+?[0-9]{3,20}")
_DTMF = re.compile(r"[0-9*#A-Da-d]{1,32}")
_SIM_AGENT = re.compile(r"Local/(\d+)@sim-agent/n")
TOOL_TIMEOUT = 60.0


class SimulatorBadInput(TelephonyError):
    status = 422
    error_id = "simulator-bad-input"


class SimulatorToolMissing(TelephonyError):
    status = 503
    error_id = "simulator-tool-missing"


class SimulatorAudioFailed(TelephonyError):
    status = 422
    error_id = "simulator-audio-failed"


class AsteriskNotRunning(AmiUnreachable):
    status = 503
    error_id = "asterisk-not-running"


# -- input --------------------------------------------------------------------------------------


def check_number(value: str, what: str) -> str:
    """A phone number: 3-20 digits, an optional leading +."""
    if not _NUMBER.fullmatch(value):
        raise SimulatorBadInput(f"{what} must be 3-20 digits (an optional leading +): {value!r}",
                                field=what, value=value)
    return value


def check_dtmf(value: str) -> str:
    """Keys a caller can press: 0-9 * # A-D."""
    if not _DTMF.fullmatch(value):
        raise SimulatorBadInput(f"--dtmf must be 1-32 of 0-9 * # A-D: {value!r}", value=value)
    return value


@dataclass(frozen=True)
class CallSpec:
    """One simulated call: who calls which number, what the caller does, how long it stays."""

    to: str
    caller: str
    steps: tuple[str, ...] = ()
    hold: float | None = None

    def request(self) -> OriginateRequest:
        """The Originate that places this call through sim-dial."""
        hold = "" if self.hold is None else str(max(0, round(self.hold)))
        return OriginateRequest(
            channel=f"Local/{check_number(self.to, '--to')}@sim-dial", context="sim-caller",
            exten="s", caller_id=f"<{check_number(self.caller, '--from')}>",
            variables={"SIM_FROM": self.caller, "SIM_STEPS": "^".join(self.steps),
                       "SIM_HOLD": hold})


def caller_steps(sound: PurePosixPath | None, dtmf: str | None) -> tuple[str, ...]:
    """The keys first (the IVR's menu comes first), then what the caller says."""
    steps = [f"dtmf:{check_dtmf(dtmf)}"] if dtmf else []
    if sound is not None:
        steps.append(f"play:{sound}")
    return tuple(steps)


# -- audio --------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SimulatorToolMissing(f"{name} is not installed: run scripts/install-system-packages",
                                   tool=name)
    return found


def _run(command: Sequence[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise SimulatorAudioFailed(f"{command[0]} timed out", command=list(command)) from exc
    if done.returncode != 0:
        raise SimulatorAudioFailed(f"{Path(command[0]).name} failed: {done.stderr.strip()}",
                                   command=list(command))


def install_audio(source: Path, sounds: Path, inside: PurePosixPath) -> PurePosixPath:
    """Convert ``source`` to 16 kHz mono 16-bit wav in ``sounds``; the path Playback takes."""
    if not source.is_file():
        raise SimulatorBadInput(f"no such audio file: {source}", path=str(source))
    sox = _tool("sox")
    sounds.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=sounds) as work:
        converted = Path(work) / "converted.wav"  # sox picks the container by extension
        # format_wav plays 16 kHz signed 16-bit mono as ".wav16": the speech recogniser
        # downstream works at 16 kHz, so the caller's voice is never narrowed to 8 kHz here.
        _run([sox, str(source), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
              str(converted)])
        name = "sim-" + hashlib.sha256(converted.read_bytes()).hexdigest()[:16]
        # Asterisk's group alone reads it: the sounds folder is setgid root:asterisk (2750).
        converted.chmod(0o640)
        converted.replace(sounds / f"{name}.wav16")  # same folder: an atomic rename
    return inside / name  # Playback wants no extension


def mandarin_voice() -> str | None:
    """espeak-ng's Mandarin voice if this espeak-ng has one."""
    done = subprocess.run([_tool("espeak-ng"), "--voices=cmn"], capture_output=True, text=True,
                          timeout=TOOL_TIMEOUT, check=False)
    return "cmn" if any(line.split()[1:2] == ["cmn"] for line in done.stdout.splitlines()) \
        else None


def say(text: str, sounds: Path, inside: PurePosixPath) -> PurePosixPath:
    """Speak ``text`` with espeak-ng (Mandarin if present) and install it as audio."""
    if not text.strip():
        raise SimulatorBadInput("--say needs some text")
    espeak = _tool("espeak-ng")
    voice = mandarin_voice()
    with tempfile.TemporaryDirectory() as work:
        spoken = Path(work) / "say.wav"
        _run([espeak, *(["-v", voice] if voice else []), "-w", str(spoken), "--", text])
        return install_audio(spoken, sounds, inside)


# -- AMI ----------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def connected_link(host: str, port: int, username: str, secret: str,
                         within: float = 10.0) -> AsyncIterator[AmiLink]:
    """A logged-in AmiLink, or AsteriskNotRunning at once if nothing answers on AMI."""
    try:  # AmiLink retries forever; a one-shot probe tells "not running" apart quickly
        probe = await AmiSession.connect(host, port, 3.0)
    except AmiUnreachable as exc:
        raise AsteriskNotRunning(
            f"Asterisk is not running (no AMI at {host}:{port}): "
            "start it with `hotline asterisk start`", host=host, port=port) from exc
    await probe.close()
    link = AmiLink(host, port, username, secret, events="on")
    link.start()
    try:
        await link.wait_connected(within)
        yield link
    finally:
        await link.close()


async def place_call(link: AmiLink, spec: CallSpec, key: str | None = None) -> OriginateResult:
    """Originate the call once (keyed); the result names its first channel (= linkedid)."""
    return await link.originate(key or f"sim-{uuid.uuid4().hex[:20]}", spec.request())


def agent_interface(extension: str) -> str:
    """The queue member a simulated agent is."""
    return f"Local/{extension}@sim-agent/n"


async def login_agents(link: AmiLink, count: int, queue: str = "main",
                       steps: Sequence[str] = (), first: int = SIM_AGENT_FIRST,
                       astdb: AmiLink | None = None) -> list[str]:
    """Log in ``count`` simulated agents; each answers and runs ``steps``. Their interfaces.

    The steps live in AstDB (``sim-agent/<ext>``), written over ``astdb``, the AstDB writer's
    link; without it the agents' AstDB entries are left as they are.
    """
    if count < 1 or count > 1000:
        raise SimulatorBadInput("the number of agents must be 1-1000", count=count)
    if steps and astdb is None:
        raise SimulatorBadInput("an agent's steps are written to AstDB: give the writer's link")
    interfaces = []
    for extension in (str(first + i) for i in range(count)):
        if astdb is not None:
            await _set_steps(astdb, extension, steps)
        interface = agent_interface(extension)
        with contextlib.suppress(AmiActionFailed):  # already a member: logged in already
            await link.send_action({"Action": "QueueAdd", "Queue": queue,
                                    "Interface": interface, "MemberName": f"sim-{extension}"})
        interfaces.append(interface)
    return interfaces


async def _set_steps(link: AmiLink, extension: str, steps: Sequence[str]) -> None:
    if steps:
        await link.send_action({"Action": "DBPut", "Family": "sim-agent", "Key": extension,
                                "Val": "^".join(steps)})
        return
    with contextlib.suppress(AmiActionFailed):  # no entry: nothing to clear
        await link.send_action({"Action": "DBDel", "Family": "sim-agent", "Key": extension})


async def logout_agents(link: AmiLink, queue: str = "main") -> list[str]:
    """Remove every simulated agent from ``queue``; the interfaces removed."""
    status = await link.send_action({"Action": "QueueStatus", "Queue": queue})
    members = [e.interface for e in status.events
               if isinstance(e, QueueMember) and _SIM_AGENT.fullmatch(e.interface)]
    removed = []
    for interface in members:
        try:
            await link.send_action({"Action": "QueueRemove", "Queue": queue,
                                    "Interface": interface})
        except AmiActionFailed:
            continue  # gone meanwhile
        removed.append(interface)
    return removed


async def check_queue(link: AmiLink, queue: str) -> None:
    """Refuse a queue Asterisk does not know, with a clear error."""
    try:
        status = await link.send_action({"Action": "QueueStatus", "Queue": queue})
    except AmiError as exc:
        raise SimulatorBadInput(f"no such queue: {queue}", queue=queue) from exc
    if not any(isinstance(e, QueueParams) and e.queue == queue for e in status.events):
        raise SimulatorBadInput(f"no such queue: {queue}", queue=queue)


async def follow_call(link: AmiLink, linkedid: str, seconds: float,
                      report: Callable[[str], None] = lambda _: None) -> None:
    """Report the call's progress (queued, answered, ended) until all its channels are gone."""
    left: set[str] = set()
    changed = asyncio.Event()

    async def on_event(event: AmiEvent) -> None:
        line = _progress(event, linkedid)
        if line:
            report(line)
        if isinstance(event, Hangup) and event.channel.linkedid == linkedid:
            left.discard(event.channel.uniqueid)
            changed.set()

    unsubscribe = link.subscribe(on_event, QueueCallerJoin, AgentConnect, Hangup)
    try:
        async with asyncio.timeout(seconds):
            # A channel may appear after a listing (the agent's leg): list again when empty.
            while left := set(await live_channels(link, linkedid)):
                while left:
                    changed.clear()
                    await changed.wait()
    finally:
        unsubscribe()
    report("ended")


def _progress(event: AmiEvent, linkedid: str) -> str:
    if isinstance(event, QueueCallerJoin) and event.channel.linkedid == linkedid:
        return f"queued in {event.queue}"
    if isinstance(event, AgentConnect) and event.channel and event.channel.linkedid == linkedid:
        return f"answered by {event.member_name or event.interface}"
    return ""


async def live_channels(link: AmiLink, linkedid: str) -> list[str]:
    """The uniqueids of the call's channels Asterisk still has."""
    listing = await link.send_action({"Action": "CoreShowChannels"})
    return [e.channel.uniqueid for e in listing.events
            if isinstance(e, CoreShowChannel) and e.channel.linkedid == linkedid]
