"""``hotline calendar``: load next year's holidays, look at a range of days."""

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from hotline.cli.common import domain_errors, open_session, settings
from kernel.clock import now
from tickets.calendar.service import (
    calendar_days,
    import_calendar,
    load_calendar,
    parse_calendar_file,
)

app = typer.Typer(help="The working-day calendar.", no_args_is_help=True)


@app.command("import")
@domain_errors
def import_(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Load holidays and make-up working days (CSV ``date,working,name`` or JSON).

    Every year named in the file counts as fully known afterwards; provisional deadlines
    of open tickets are recomputed.
    """
    data = parse_calendar_file(file)

    async def run() -> int:
        async with open_session(settings()) as session:
            _, recomputed = await import_calendar(session, data, now())
            return recomputed

    recomputed = asyncio.run(run())
    typer.echo(f"imported {len(data.days)} days for {data.years}; "
               f"{recomputed} provisional deadlines recomputed")


@app.command()
def show(start: str, end: str) -> None:
    """Each day from START to END (YYYY-MM-DD): working or not, known or guessed."""

    async def run() -> None:
        async with open_session(settings()) as session:
            calendar = await load_calendar(session)
        for day, working, known in calendar_days(
                calendar, date.fromisoformat(start), date.fromisoformat(end)):
            typer.echo(f"{day} {'working' if working else 'rest'}"
                       f"{'' if known else ' (guessed)'}")

    asyncio.run(run())
