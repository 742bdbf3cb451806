"""``hotline asr``: the Vosk models the AudioSocket transcriber loads."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from asr.catalog import active_model, installed
from asr.errors import AsrError
from asr.install import install_model
from hotline.cli.common import settings

app = typer.Typer(help="Speech recognition for the calls (AudioSocket + Vosk).",
                  no_args_is_help=True)
model_app = typer.Typer(help="Vosk models: install from a URL or an archive, list.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")
P = ParamSpec("P")
R = TypeVar("R")


def asr_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print an ASR error as ``error: error_id: message`` and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AsrError as exc:
            typer.echo(f"error: {exc.error_id}: {exc.message}", err=True)
            raise typer.Exit(2) from exc

    return wrapper


@model_app.command("install")
@asr_errors
def install(
    source: Annotated[str, typer.Argument(help="URL, or a local .zip / .tar.gz")],
    sha256: Annotated[str | None, typer.Option("--sha256", help="expected SHA-256 (hex)")] = None,
    name: Annotated[str | None, typer.Option(help="directory name (default: the archive's)")]
    = None,
    force: Annotated[bool, typer.Option(help="replace a model of the same name")] = False,
) -> None:
    """Install a Vosk model into <data_dir>/asr-models/<name>; the newest is used by default."""
    config = settings()
    console = Console(stderr=True)
    columns = (TextColumn("{task.description:<8}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        def checked(digest: str) -> None:
            # Always shown, so whoever installs without --sha256 can still compare it.
            console.print(f"sha256 {digest}", highlight=False)

        result = install_model(source, config.data_dir, sha256=sha256, name=name,
                               force=force, progress=progress, checked=checked)
    typer.echo(f"installed {result.name} at {result.path} (sha256 {result.sha256})")
    active = active_model(config.asr_model_path, config.data_dir)
    if active is not None and active.resolve() != result.path.resolve():
        typer.echo(f"note: HOTLINE_ASR_MODEL_PATH keeps {active} active")


@model_app.command("list")
def list_models(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False,
) -> None:
    """Installed models: name, path, size, and which one the recognizer loads."""
    config = settings()
    active = active_model(config.asr_model_path, config.data_dir)
    models = installed(config.data_dir)
    rows = [{"name": m.name, "path": str(m.path), "size_bytes": m.size_bytes,
             "installed_at": m.installed_at.isoformat(), "sha256": m.sha256,
             "active": active is not None and active.resolve() == m.path.resolve()}
            for m in models]
    if as_json:
        typer.echo(json.dumps({"active": None if active is None else str(active),
                               "models": rows}, indent=2))
        return
    if not models:
        typer.echo("no ASR model installed (install one with `hotline asr model install`)")
    for model, row in zip(models, rows, strict=True):
        mark = "*" if row["active"] else " "
        typer.echo(f"{mark} {model.name:<32} {model.size_bytes / 1e6:>9.1f} MB  {model.path}")
    if active is not None and not any(row["active"] for row in rows):
        typer.echo(f"* (configured) {active}")
