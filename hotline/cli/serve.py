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
from hotline.log_redaction import redact_server_logs


def serve(
    host: Annotated[str | None, typer.Option(help="default: settings api_host")] = None,
    port: Annotated[int | None, typer.Option(help="default: settings api_port")] = None,
) -> None:
    """Run the platform (the API for now) on its settings; first run creates ``admin``."""
    config = settings()
    config.ensure_data_dir()
    logging.getLogger().setLevel(config.log_level)
    migrate.upgrade(config.effective_database_url)
    password = asyncio.run(bootstrap_admin(config))
    if password:
        typer.echo(f"first run: user 'admin' created, password {password} "
                   f"(also in {config.data_dir / 'initial-admin-password'})")
    host = host or config.api_host
    port = port or config.api_port
    typer.echo(f"API on http://{host}:{port} — OpenAPI at http://{host}:{port}/docs")
    server = uvicorn.Server(uvicorn.Config(create_app(config), host=host, port=port,
                                           log_level=config.log_level.lower()))
    redact_server_logs()  # uvicorn's Config has set its loggers up by now
    server.run()
