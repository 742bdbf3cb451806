"""``hotline policy``: show a profile, compute a deadline."""

import asyncio
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hotline.cli.common import domain_errors, open_session, print_json, settings
from kernel.clock import require_aware
from tickets.calendar.service import load_calendar
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import RequestType, Urgency
from tickets.errors import InvalidValue
from tickets.policy.registry import get_policy, policy_names
from tickets.policy.service import Rule, due_answer, policy_as_data

app = typer.Typer(help="Policy profiles: every rule with its article.", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """The profile names."""
    for name in policy_names():
        typer.echo(name)


@app.command()
@domain_errors
def show(name: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print a profile: every number with the article it comes from."""
    data = policy_as_data(get_policy(name))
    if as_json:
        print_json(data)
        return
    table = Table(title=f"{data['name']}: {data['title']}", show_lines=False)
    table.add_column("rule")
    table.add_column("value")
    for key, value in data.items():
        table.add_row(key, _fmt(value))
    Console().print(table)


def _fmt(value: object) -> str:
    if isinstance(value, dict) and {"amount", "unit", "article"} <= set(value):
        return f"{value['amount']} {value['unit']} — {value['article']}"
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_fmt(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _enum(kind: type[RequestType] | type[Urgency], text: str) -> RequestType | Urgency:
    try:
        return kind(text)
    except ValueError:
        raise InvalidValue(f"unknown {kind.__name__} {text!r}", value=text,
                           known=[m.value for m in kind]) from None


def _calendar() -> WorkingCalendar:
    """The database's calendar where one exists; the packaged calendar otherwise."""
    config = settings()
    if config.database_url is None and not (config.data_dir / "hotline.db").exists():
        return WorkingCalendar()

    async def load() -> WorkingCalendar:
        async with open_session(config) as session:
            return await load_calendar(session)

    try:
        return asyncio.run(load())
    except Exception:  # no schema yet: the packaged calendar is still right
        return WorkingCalendar()


@app.command()
@domain_errors
def due(
    profile: Annotated[str, typer.Option(help="policy profile")],
    at: Annotated[str, typer.Option(help="the event, ISO 8601 with a time zone")],
    request_type: Annotated[
        str, typer.Option("--type", help="咨询 求助 投诉 举报 建议 表扬")] = "咨询",
    enterprise: Annotated[bool, typer.Option("--enterprise")] = False,
    urgency: Annotated[str, typer.Option(help="一般 紧急 非常紧急")] = "一般",
    rule: Annotated[Rule, typer.Option(help="handle, review or return")] = Rule.HANDLE,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """When a rule of a profile falls due for an event at --at (Beijing time)."""
    try:
        moment = require_aware(datetime.fromisoformat(at), field="--at")
    except ValueError:
        raise InvalidValue(f"--at {at!r} is not an ISO 8601 time", value=at) from None
    answer = due_answer(
        get_policy(profile), _calendar(), moment, rule,
        RequestType(_enum(RequestType, request_type)), enterprise=enterprise,
        urgency=Urgency(_enum(Urgency, urgency)),
    )
    if as_json:
        print_json(answer)
    else:
        provisional = answer["provisional"]
        flag = " (provisional: that year's holidays are not loaded)" if provisional else ""
        typer.echo(f"{answer['due']}{flag} — {answer['period']['amount']} "
                   f"{answer['period']['unit']}, {answer['article']}")
