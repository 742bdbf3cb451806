"""``hotline prompts``: the IVR's Mandarin prompts, spoken by espeak-ng, installed for Asterisk."""

import asyncio
import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from hotline.cli.asterisk import instance_of
from hotline.cli.common import settings
from hotline.settings import Settings
from ivr.errors import IvrError
from ivr.prompts.build import build as build_prompts
from ivr.prompts.catalogue import CATALOGUE, TONES
from ivr.prompts.player import AUDIO_EXTENSIONS
from telephony.pbx.process import instance_account
from telephony.pbx.prompts import PROMPTS, install_prompts

app = typer.Typer(help="The IVR's Mandarin prompts (espeak-ng; recordings override them).",
                  no_args_is_help=True)
P = ParamSpec("P")
R = TypeVar("R")


def ivr_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print an IVR error as ``error: error_id: message`` and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except IvrError as exc:
            typer.echo(f"error: {exc.error_id}: {exc.message}", err=True)
            raise typer.Exit(2) from exc

    return wrapper


def install(config: Settings) -> Path | None:
    """Copy the prompts into this node's Asterisk instance; None without an Asterisk root."""
    instance = instance_of(config)
    if not instance.root.is_dir():
        return None
    target = instance.run_dir / PROMPTS
    install_prompts(target, config.prompt_sources, instance_account(instance))
    return target


@app.command()
@ivr_errors
def build(force: Annotated[bool, typer.Option(help="speak every prompt again")] = False) -> None:
    """Speak every prompt into prompts_dir (unchanged ones skipped), install them for Asterisk."""
    config = settings()
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("prompts", total=len(CATALOGUE) + len(TONES))
        report = asyncio.run(build_prompts(
            config.effective_prompts_dir, force=force,
            progress=lambda name, what: bar.update(task, advance=1, description=name)))
    voice = report.voice or "espeak-ng's default voice (no Mandarin voice installed)"
    typer.echo(f"{len(report.built)} prompts built, {len(report.skipped)} unchanged, "
               f"{len(report.removed)} removed, in {config.effective_prompts_dir} ({voice})")
    target = install(config)
    typer.echo(f"installed into {target}" if target else
               f"no Asterisk root at {config.asterisk_root}: `hotline asterisk start` "
               "installs them")
    for name, problem in report.failed.items():
        typer.echo(f"error: {name}: {problem}", err=True)
    if report.failed:
        raise typer.Exit(1)


def _source(config: Settings, name: str) -> str:
    for source, folder in config.prompt_sources:
        if any((folder / f"{name}.{ext}").is_file() for ext in AUDIO_EXTENSIONS):
            return source
    return "missing"


@app.command("list")
def list_prompts(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every prompt, its text, and where it comes from (override, built or missing)."""
    config = settings()
    rows = [{"name": name, "text": text, "source": _source(config, name)}
            for name, text in {**CATALOGUE, **{t: "(tone)" for t in TONES}}.items()]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['name']:<28} {row['source']:<8} {row['text']}")
