"""``hotline simulate``: simulated callers and agents on the running Asterisk."""

import asyncio
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.asterisk import instance_of, telephony_errors
from hotline.cli.common import settings
from hotline.settings import Settings
from telephony.ami.link import AmiLink
from telephony.simulator import service as sim

app = typer.Typer(help="Simulated calls and agents, for demos, tests and benchmarks.",
                  no_args_is_help=True)


def _link(config: Settings) -> AbstractAsyncContextManager[AmiLink]:
    """The settings' AMI, logged in as the controller."""
    return sim.connected_link(config.ami_host, config.ami_port, config.ami_username,
                              config.ensure_ami_secret())


def _astdb_link(config: Settings) -> AbstractAsyncContextManager[AmiLink]:
    """The settings' AMI, logged in as the AstDB writer."""
    return sim.connected_link(config.ami_host, config.ami_port, config.ami_astdb_username,
                              config.ensure_ami_astdb_secret())


@app.command()
@telephony_errors
def call(
    to: Annotated[str, typer.Option("--to", help="the number dialled, e.g. 12345")],
    caller: Annotated[str, typer.Option("--from", help="the caller's number")],
    audio: Annotated[Path | None, typer.Option(help="an audio file the caller plays")] = None,
    say: Annotated[str | None, typer.Option(help="text the caller says (espeak-ng)")] = None,
    dtmf: Annotated[str | None, typer.Option(help="keys the caller presses")] = None,
    hold: Annotated[float, typer.Option(help="seconds the caller stays on the line")] = 60,
    wait: Annotated[bool, typer.Option(help="follow the call until it ends")] = False,
) -> None:
    """Place a simulated call through the real Asterisk; prints its linkedid."""
    if audio is not None and say is not None:
        raise sim.SimulatorBadInput("give --audio or --say, not both")
    if hold < 0:
        raise sim.SimulatorBadInput("--hold must not be negative", hold=hold)
    spec = sim.CallSpec(sim.check_number(to, "--to"), sim.check_number(caller, "--from"),
                        hold=hold)
    config = settings()
    instance = instance_of(config)
    sounds, inside = instance.run_dir / "sounds", instance.inside / "sounds"
    sound = (sim.install_audio(audio, sounds, inside) if audio is not None
             else sim.say(say, sounds, inside) if say is not None else None)
    spec = sim.CallSpec(spec.to, spec.caller, sim.caller_steps(sound, dtmf), spec.hold)
    asyncio.run(_call(config, spec, wait))


async def _call(config: Settings, spec: sim.CallSpec, wait: bool) -> None:
    async with _link(config) as link:
        result = await sim.place_call(link, spec)
        typer.echo(f"call {result.uniqueid}: {spec.caller} -> {spec.to} ({result.channel_name})")
        if wait:
            await sim.follow_call(link, result.uniqueid, (spec.hold or 0) + 3600,
                                  lambda line: typer.echo(f"call {result.uniqueid}: {line}"))


@app.command()
@telephony_errors
def agents(
    count: Annotated[int, typer.Argument(help="how many agents")],
    queue: Annotated[str, typer.Option(help="the queue they answer")] = "main",
    logout: Annotated[bool, typer.Option(help="log the simulated agents out instead")] = False,
) -> None:
    """Log in N simulated agents that answer (or log them all out with --logout)."""
    if not logout and not 1 <= count <= 1000:
        raise sim.SimulatorBadInput("the number of agents must be 1-1000", count=count)
    asyncio.run(_agents(settings(), count, queue, logout))


async def _agents(config: Settings, count: int, queue: str, logout: bool) -> None:
    async with _link(config) as link:
        await sim.check_queue(link, queue)
        if logout:
            removed = await sim.logout_agents(link, queue)
            typer.echo(f"{len(removed)} simulated agents logged out of {queue}")
            return
        async with _astdb_link(config) as astdb:  # clears steps a test left in AstDB
            interfaces = await sim.login_agents(link, count, queue, astdb=astdb)
        typer.echo(f"{len(interfaces)} simulated agents in {queue}: "
                   f"{interfaces[0]} … {interfaces[-1]}")
