"""``hotline draft``: draft a ticket from a transcript, score drafting, load place names.

``hotline draft --json < call.json`` reads a JSON list of ``{"speaker", "text"}`` turns (or
plain text, taken as the caller's words) from standard input and prints the draft.
"""

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from hotline.cli.common import domain_errors, open_session, print_json, settings
from kernel.clock import now
from tickets.drafting.draft import FIELDS, Draft
from tickets.drafting.errors import MalformedCallerId
from tickets.drafting.evaluate import SCORED_FIELDS, load_labelled, score
from tickets.drafting.gazetteer import Gazetteer, builtin
from tickets.drafting.noisy import DEFAULT_SEED, corrupt
from tickets.drafting.noisy import caller_ids as _caller_ids
from tickets.drafting.places import (
    import_places,
    load_gazetteer,
    load_places,
    read_places_file,
)
from tickets.drafting.service import draft_from_turns, warm_up
from tickets.drafting.transcript import Turn, parse_transcript

app = typer.Typer(help="Ticket drafting (智能填单) from call transcripts.")
places_app = typer.Typer(help="The deployment's place names (districts, roads, communities).",
                         no_args_is_help=True)
app.add_typer(places_app, name="places")

DB_TIMEOUT_SECONDS = 5.0  # a database that does not answer must not hold up a draft
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DbFlag = Annotated[bool, typer.Option(
    "--db/--no-db", help="Also use the place names imported into the database.")]


def _gazetteer(use_db: bool) -> Gazetteer:
    """Built-in divisions plus the database's places; the built-in ones alone without one."""
    if not use_db:
        return builtin()
    config = settings()
    url = make_url(config.effective_database_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return builtin()  # no database yet: do not create one just to read it

    async def run() -> Gazetteer:
        async with open_session(config) as session:
            return await load_gazetteer(session)

    try:
        return asyncio.run(asyncio.wait_for(run(), DB_TIMEOUT_SECONDS))
    except (SQLAlchemyError, OSError, TimeoutError):
        return builtin()  # not migrated or not reachable: drafting works without it


CallerId = Annotated[str | None, typer.Option(
    "--caller-id", help="The number the call arrives from: the callback number unless the "
                        "caller gives another.")]


@app.callback(invoke_without_command=True)
@domain_errors
def draft(ctx: typer.Context, as_json: JsonFlag = False, use_db: DbFlag = True,
          caller_id: CallerId = None) -> None:
    """Draft the ticket of the transcript on standard input."""
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin is None or sys.stdin.isatty():
        typer.echo(ctx.get_help())
        raise typer.Exit(0)
    turns = parse_transcript(sys.stdin.read())
    result = draft_from_turns(turns, _gazetteer(use_db), caller_id=_caller(caller_id)).to_json()
    if as_json:
        print_json(result)
        return
    table = Table(title="draft")
    for column in ("field", "value", "confidence"):
        table.add_column(column)
    for name in FIELDS:
        value = result[name]
        shown = "" if value is None else str(value)
        if name == "phone" and result["phone_source"] == "caller_id":
            shown += " (来电号码)"
        table.add_row(name, shown, f"{result['confidence'][name]:.2f}")
    Console().print(table)


def _caller(number: str | None) -> str | None:
    """A caller ID as digits; anything else is refused with a clear error."""
    if number is None:
        return None
    digits = number.strip().removeprefix("+86")
    if not digits.isdigit() or not 5 <= len(digits) <= 15:
        raise MalformedCallerId("a caller ID is the digits of a phone number", caller_id=number)
    return digits


Noise = Annotated[float, typer.Option(
    "--noise", min=0, max=90, help="Hear the calls through a simulated recogniser with this "
                                   "character error rate, in percent (e.g. 20).")]
Seed = Annotated[int, typer.Option("--seed", help="The noise's seed (fixed: figures compare).")]
CallerIds = Annotated[bool, typer.Option(
    "--caller-id/--no-caller-id", help="Draft each call with a caller ID (the labelled number, "
                                       "else a plausible one) and expect it as the callback.")]
Places = Annotated[Path | None, typer.Option(
    "--places", exists=True, dir_okay=False, help="A places file to draft with (the deployment's "
                                                  "地名库), as `draft places import` reads.")]


@app.command("eval")
@domain_errors
def eval_(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
          as_json: JsonFlag = False, use_db: DbFlag = False,
          misses: Annotated[bool, typer.Option(help="List each disagreement.")] = False,
          noise: Noise = 0.0, seed: Seed = DEFAULT_SEED, caller_ids: CallerIds = False,
          places: Places = None) -> None:
    """Score drafting on a labelled .jsonl: accuracy per field and missed emergencies."""
    calls = load_labelled(file)
    gazetteer = _gazetteer(use_db)
    if places is not None:
        gazetteer = gazetteer.with_places(read_places_file(places))
    warm_up()  # the time per call is a live call's, after start-up
    heard = corrupt(calls, noise / 100, seed)

    def drafter(turns: Sequence[Turn], caller_id: str | None = None) -> Draft:
        return draft_from_turns(turns, gazetteer, caller_id=caller_id)

    report = score(heard.calls, drafter, _caller_ids(heard.calls, seed) if caller_ids else None)
    data = report.to_json()
    data["cer"] = round(heard.cer, 4)
    if as_json:
        print_json(data)
        return
    table = Table(title=f"{file.name}: {report.calls} calls")
    for column in ("field", "accuracy", "scored"):
        table.add_column(column)
    for name in SCORED_FIELDS:
        table.add_row(name, f"{report.accuracy(name):.1%}", str(data["scored"][name]))
    console = Console()
    console.print(table)
    missed = ", ".join(report.missed_emergencies) or "none"
    console.print(f"missed 110/119/120 emergencies: {missed}")
    if noise:
        console.print(f"recogniser noise: CER {heard.cer:.1%} measured (asked {noise:g}%, "
                      f"seed {seed})")
    console.print(f"drafting time: {data['ms_per_call']} ms per call "
                  f"(median {data['ms_median']}, p95 {data['ms_p95']})")
    if misses:
        for miss in report.misses:
            console.print(f"{miss.id} {miss.field}: expected {miss.expected!r}, got {miss.got!r}",
                          markup=False)


@places_app.command("import")
@domain_errors
def import_(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Load place names: one per line, or CSV ``name,kind`` (kind: county, town, road, …)."""
    places = read_places_file(file)

    async def run() -> tuple[int, int]:
        async with open_session(settings()) as session:
            return await import_places(session, places, now())

    added, updated = asyncio.run(run())
    typer.echo(f"{len(places)} places read: {added} added, {updated} updated")


@places_app.command("list")
def list_() -> None:
    """The imported place names with their kinds."""

    async def run() -> list[tuple[str, str]]:
        async with open_session(settings()) as session:
            return [(name, kind.value) for name, kind in await load_places(session)]

    for name, kind in asyncio.run(run()):
        typer.echo(f"{name},{kind}")
