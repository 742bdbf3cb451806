"""``hotline asterisk``: build the Asterisk root, start, stop and check the instance."""

import asyncio
import json
from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from hotline.cli.common import settings
from hotline.settings import Settings
from ivr.prompts.build import build as build_prompts
from ivr.prompts.build import read_manifest
from telephony.errors import TelephonyError
from telephony.pbx import process
from telephony.pbx.install import PHASES, RootSpec
from telephony.pbx.install import install as build_root

app = typer.Typer(help="The Asterisk PBX the platform runs.", no_args_is_help=True)
P = ParamSpec("P")
R = TypeVar("R")
NOT_RUNNING = 3  # the exit status `systemctl status` and LSB scripts use for "stopped"


def telephony_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print a telephony error as ``error: error_id: message`` and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TelephonyError as exc:
            typer.echo(f"error: {exc.error_id}: {exc.message}", err=True)
            for line in exc.details.get("log", []) or exc.details.get("output", []):
                typer.echo(f"  {line}", err=True)
            raise typer.Exit(2) from exc

    return wrapper


def instance_of(config: Settings) -> process.Instance:
    """This node's Asterisk instance."""
    return process.Instance(config.asterisk_root, config.effective_asterisk_instance_dir)


def root_spec(config: Settings) -> RootSpec:
    """The root the settings ask for."""
    return RootSpec(config.asterisk_root, suite=config.asterisk_suite)


@app.command()
@telephony_errors
def install(force: Annotated[bool, typer.Option(help="rebuild even if cached")] = False) -> None:
    """Build the Asterisk root with mmdebstrap (once; later runs reuse it)."""
    config = settings()
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("Asterisk root", total=len(PHASES))

        def progress(line: str) -> None:
            for index, phase in enumerate(PHASES):
                if phase in line:
                    bar.update(task, completed=index + 1, description=line.removeprefix("I: "))
                    if not console.is_terminal:  # a log (CI) gets the stages as lines
                        console.print(line, highlight=False)
            if line.startswith(("E:", "W:")):
                console.print(line, highlight=False)

        result = build_root(root_spec(config), config.asterisk_mirror, progress, force)
    how = f"built in {result.seconds:.0f} s" if result.built else "already built (cached)"
    typer.echo(f"Asterisk {result.asterisk_version} root at {result.root}: {how}")


@app.command()
@telephony_errors
def start(timeout: Annotated[float, typer.Option(help="seconds to wait for it")] = 60) -> None:
    """Render the configuration from the settings and start Asterisk on them.

    Prompts never built are built first (espeak-ng), so the IVR speaks from the first call
    (``hotline prompts build`` rebuilds them; recordings in the override folder win).
    """
    config = settings()
    _first_prompts(config)
    state = process.start(instance_of(config), config.pbx_config(), timeout)
    typer.echo(f"Asterisk {state.version} running (pid {state.pid}); "
               f"AMI {config.ami_host}:{config.ami_port}, SIP {config.sip_host}:{config.sip_port}")


@app.command()
@telephony_errors
def stop() -> None:
    """Stop Asterisk (calls in progress end)."""
    stopped = process.stop(instance_of(settings()))
    typer.echo("Asterisk stopped" if stopped else "Asterisk was not running")


@app.command()
@telephony_errors
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Whether Asterisk runs, and the version it reports over AMI."""
    config = settings()
    state = asyncio.run(process.status(instance_of(config), config.pbx_config()))
    if as_json:
        typer.echo(json.dumps({"running": state.running, "pid": state.pid,
                               "version": state.version, "problem": state.problem}))
    elif not state.running:
        typer.echo("Asterisk is not running")
    elif state.problem:
        typer.echo(f"Asterisk running (pid {state.pid}) but AMI fails: {state.problem}")
    else:
        typer.echo(f"Asterisk {state.version} running (pid {state.pid}), "
                   f"AMI {config.ami_host}:{config.ami_port}")
    if not state.running:
        raise typer.Exit(NOT_RUNNING)
    if state.problem:
        raise typer.Exit(1)


def _first_prompts(config: Settings) -> None:
    """Build the prompts if none ever were; without espeak-ng say so and start anyway."""
    if read_manifest(config.effective_prompts_dir):
        return
    report = asyncio.run(build_prompts(config.effective_prompts_dir))
    typer.echo(f"{len(report.built)} IVR prompts built into {config.effective_prompts_dir}")
    for name, problem in report.failed.items():
        typer.echo(f"warning: prompt {name} not built ({problem}): the IVR plays Asterisk's "
                   "own sounds instead", err=True)
