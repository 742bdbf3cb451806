"""The call simulator against the real Asterisk 22: `hotline simulate agents` logs in agents
that answer, `hotline simulate call` places a call that is queued and answered, as the
controller and Asterisk both see it; bad input exits 2 with a clear error."""

import asyncio
import contextlib
import re
import shutil
import subprocess
import wave
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner, Result

from hotline.cli.main import app
from hotline.db import create_schema, make_engine
from kernel.clock import BEIJING
from telephony.ami.errors import AmiActionFailed
from telephony.ami.events import CoreShowChannel
from telephony.ami.link import AmiLink
from telephony.calls.machine import CallState
from telephony.controller.service import CallController
from tests.telephony.conftest import Running, env_of, unavailable
from tests.waiting import wait_for

AGENTS = {"Local/9001@sim-agent/n", "Local/9002@sim-agent/n"}


def now() -> datetime:
    return datetime.now(BEIJING)


def need(tool: str) -> None:
    """sox and espeak-ng: fail in CI, skip elsewhere."""
    if shutil.which(tool) is None:
        unavailable(f"{tool} is missing: run scripts/install-system-packages")


async def hotline(pbx: Running, *args: str) -> Result:
    """Run the CLI against the fixture's Asterisk (in a thread: it runs its own loop)."""
    env = env_of(pbx.settings)
    return await asyncio.to_thread(lambda: CliRunner().invoke(app, list(args), env=env))


@pytest.fixture
async def controlled(pbx: Running, tmp_path: Path) -> AsyncIterator[tuple[CallController, AmiLink]]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    await create_schema(engine)
    controller = CallController(async_sessionmaker[AsyncSession](engine, expire_on_commit=False),
                                now)
    c = pbx.config
    link = AmiLink(c.ami_host, c.ami_port, c.ami_username, c.ami_secret,
                   on_connected=controller.resync)
    controller.attach(link)
    link.start()
    try:
        await link.wait_connected(15)
        await wait_for(lambda: controller.resyncs >= 1, "first resync")
        yield controller, link
    finally:
        await hang_up_everything(link)
        await hotline(pbx, "simulate", "agents", "0", "--logout")
        await link.close()
        await engine.dispose()


async def hang_up_everything(link: AmiLink) -> None:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    for event in listing.events:
        if isinstance(event, CoreShowChannel):
            with contextlib.suppress(AmiActionFailed):  # its Local partner went first
                await link.send_action({"Action": "Hangup", "Channel": event.channel.name})


async def asterisk_linkedids(link: AmiLink) -> set[str]:
    listing = await link.send_action({"Action": "CoreShowChannels"})
    return {e.channel.linkedid for e in listing.events if isinstance(e, CoreShowChannel)}


def placed_linkedid(result: Result) -> str:
    assert result.exit_code == 0, result.output
    found = re.search(r"^call (\S+):", result.output, re.M)
    assert found, result.output
    return found.group(1)


async def answered(controller: CallController, link: AmiLink, linkedid: str) -> None:
    """The call is connected to a simulated agent in the controller's picture and Asterisk's."""
    calls = controller.line.calls
    await wait_for(lambda: linkedid in calls and calls[linkedid].state is CallState.CONNECTED,
                   "call queued and answered")
    call = calls[linkedid]
    assert call.queue == "main" and call.agent in AGENTS
    assert CallState.QUEUED in call.entered
    assert linkedid in await asterisk_linkedids(link)


async def test_agents_answer_a_call_that_says_something_and_presses_a_key(
    pbx: Running, controlled: tuple[CallController, AmiLink]
) -> None:
    need("espeak-ng")
    need("sox")
    controller, link = controlled
    result = await hotline(pbx, "simulate", "agents", "2")
    assert result.exit_code == 0, result.output
    await wait_for(lambda: set(controller.line.agents) >= AGENTS, "two agents logged in")
    result = await hotline(pbx, "simulate", "call", "--to", "12345", "--from", "13800138000",
                           "--say", "你好", "--dtmf", "1", "--hold", "30")
    linkedid = placed_linkedid(result)
    await answered(controller, link, linkedid)
    assert controller.line.calls[linkedid].caller_number == "13800138000"
    assert list((pbx.instance.run_dir / "sounds").glob("sim-*.wav16"))
    await wait_for(lambda: "SendDTMF(\"Local/12345@sim-dial" in asterisk_log(pbx)
                   and "/sounds/sim-" in asterisk_log(pbx), "the caller pressed 1 and spoke")


async def test_a_call_plays_an_audio_file_converted_with_sox(
    pbx: Running, controlled: tuple[CallController, AmiLink], tmp_path: Path
) -> None:
    need("sox")
    controller, link = controlled
    source = tmp_path / "tone.wav"
    await asyncio.to_thread(subprocess.run, ["sox", "-n", "-r", "44100", "-c", "2", str(source),
                                             "synth", "0.5", "sine", "440"], check=True)
    assert (await hotline(pbx, "simulate", "agents", "1")).exit_code == 0
    result = await hotline(pbx, "simulate", "call", "--to", "12345", "--from", "13900139000",
                           "--audio", str(source), "--hold", "30")
    linkedid = placed_linkedid(result)
    await answered(controller, link, linkedid)
    played = re.search(r"play:\S*/(sim-[0-9a-f]+)", str(await link.send_action(
        {"Action": "Getvar", "Channel": await caller_leg(link, linkedid),
         "Variable": "SIM_STEPS"})))
    assert played, "the caller's steps name the converted sound"
    with wave.open(str(pbx.instance.run_dir / "sounds" / f"{played.group(1)}.wav16")) as sound:
        assert (sound.getframerate(), sound.getnchannels(), sound.getsampwidth()) == (16000, 1, 2)
    # file.c logs "Playing '<file>.<the channel's format>'" once the file opened
    await wait_for(lambda: f"Playing '{pbx.instance.inside}/sounds/{played.group(1)}."
                   in asterisk_log(pbx), "Asterisk plays the converted file")


def asterisk_log(pbx: Running) -> str:
    return (pbx.instance.run_dir / "log" / "messages.log").read_text(errors="replace")


async def caller_leg(link: AmiLink, linkedid: str) -> str:
    """The originated leg (Local/…@sim-dial;1), which carries the SIM_* variables."""
    listing = await link.send_action({"Action": "CoreShowChannels"})
    return next(e.channel.name for e in listing.events if isinstance(e, CoreShowChannel)
                and e.channel.uniqueid == linkedid)


async def test_bad_input_exits_2_with_a_clear_error(pbx: Running, tmp_path: Path) -> None:
    result = await hotline(pbx, "simulate", "call", "--to", "12345", "--from", "138-ABC")
    assert result.exit_code == 2
    assert "simulator-bad-input" in result.output and "--from" in result.output
    missing = tmp_path / "missing.wav"
    result = await hotline(pbx, "simulate", "call", "--to", "12345", "--from", "13800138000",
                           "--audio", str(missing))
    assert result.exit_code == 2
    assert "no such audio file" in result.output and str(missing) in result.output
