"""``hotline``: one console script, one subcommand per concern."""

import logging

import typer

from hotline.cli import asr, asterisk, calendar, db, draft, policy, prompts, serve, simulate, users
from hotline.private import owner_only_umask

app = typer.Typer(help="12345 government service hotline platform.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
app.add_typer(db.app, name="db")
app.add_typer(policy.app, name="policy")
app.add_typer(calendar.app, name="calendar")
app.add_typer(users.app, name="users")
app.add_typer(asterisk.app, name="asterisk")
app.add_typer(simulate.app, name="simulate")
app.add_typer(asr.app, name="asr")
app.add_typer(draft.app, name="draft")
app.add_typer(prompts.app, name="prompts")
app.command("serve")(serve.serve)


# Every line says when: an operator reads the log against the call records and the clock.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_DATES = "%Y-%m-%dT%H:%M:%S%z"


def main() -> None:
    """Entry point of the console script."""
    # First: the database, secrets, logs and recordings it creates are its owner's alone.
    owner_only_umask()
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT, datefmt=LOG_DATES)
    for chatty in ("jieba", "apscheduler"):  # APScheduler says INFO at every 5 s job run
        logging.getLogger(chatty).setLevel(logging.WARNING)
    app()
