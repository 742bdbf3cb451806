"""``hotline serve``: migrate, bootstrap on first run, and serve the API."""

import asyncio
import logging
from typing import Annotated

import typer
import uvicorn

from hotline import migrate
from hotline.app import create_app
from hotline.cli.common import settings
from hotline.cli.users import bootstrap_admin
from hotline.db import make_engine
from hotline.log_redaction import redact_server_logs
from hotline.settings import Settings
from hotline.storage import prove_writable, start_refusal

STARTUP_FAILURE = 3  # uvicorn's own exit code for a start that failed


def serve(
    host: Annotated[str | None, typer.Option(help="default: settings api_host")] = None,
    port: Annotated[int | None, typer.Option(help="default: settings api_port")] = None,
) -> None:
    """Run the platform (the API for now) on its settings; first run creates ``admin``."""
    config = settings()
    config.ensure_data_dir()
    logging.getLogger().setLevel(config.log_level)
    password = prepare_storage(config)
    if password:
        typer.echo(f"first run: user 'admin' created, password {password} "
                   f"(also in {config.data_dir / 'initial-admin-password'})")
    host = host or config.api_host
    port = port or config.api_port
    typer.echo(f"API on http://{host}:{port} — OpenAPI at http://{host}:{port}/docs")
    # log_config=None: uvicorn's lines go through the root logger, with its timestamps
    server = uvicorn.Server(uvicorn.Config(create_app(config), host=host, port=port,
                                           log_level=config.log_level.lower(), log_config=None))
    redact_server_logs()  # uvicorn's Config has set its loggers up by now
    server.run()
    if not server.started:  # the lifespan refused (its one line is logged)
        raise typer.Exit(STARTUP_FAILURE)


def prepare_storage(config: Settings) -> str | None:
    """Migrate, prove the database takes writes, create ``admin`` on first run.

    A database that is read-only, full or unreachable ends the command with one line and
    exit code 3, not with the driver's traceback.
    """
    url = config.effective_database_url
    try:
        migrate.upgrade(url)
        asyncio.run(_prove_writable(url))
        return asyncio.run(bootstrap_admin(config))
    except Exception as exc:
        refusal = start_refusal(exc, url)
        if refusal is None:
            raise
        typer.echo(refusal, err=True)
        raise typer.Exit(STARTUP_FAILURE) from None


async def _prove_writable(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            await prove_writable(connection)
    finally:
        await engine.dispose()
