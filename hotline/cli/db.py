"""``hotline db``: migrations."""

from typing import Annotated

import typer

from hotline import migrate
from hotline.cli.common import settings

app = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)


def _url() -> str:
    config = settings()
    config.ensure_data_dir()
    return config.effective_database_url


@app.command()
def upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database up (to the newest schema by default)."""
    migrate.upgrade(_url(), revision)
    typer.echo(f"database at {revision}")


@app.command()
def downgrade(revision: Annotated[str, typer.Argument()] = "base") -> None:
    """Migrate the database down (to an empty one by default)."""
    migrate.downgrade(_url(), revision)
    typer.echo(f"database at {revision}")


@app.command()
def current() -> None:
    """Print the database's revision."""
    migrate.current(_url())
