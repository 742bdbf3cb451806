"""Which database errors mean the storage cannot write or cannot be reached, and why.

Those errors are not the request's fault nor a bug: the API answers them 503
``storage-unavailable`` and ``hotline serve`` refuses to start on them, each with a reason
(``read-only``, ``disk-full``, ``disk-io``, ``busy``, ``unreachable``) and never with the
SQL or its values.
"""

import os
from typing import Any

from sqlalchemy import exc as sa
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tickets.errors import DomainError

# SQLite's primary result codes (extended codes carry a suffix: SQLITE_IOERR_SHMSIZE …)
_SQLITE = {
    "SQLITE_READONLY": "read-only", "SQLITE_FULL": "disk-full", "SQLITE_IOERR": "disk-io",
    "SQLITE_BUSY": "busy", "SQLITE_LOCKED": "busy", "SQLITE_CANTOPEN": "unreachable",
}
# PostgreSQL SQLSTATEs, exact codes first, then classes (08: connection exception)
_POSTGRES = {
    "25006": "read-only",  # read_only_sql_transaction: a standby, or default_transaction_read_only
    "53100": "disk-full", "58030": "disk-io", "55P03": "busy",
    "57P01": "unreachable", "57P02": "unreachable", "57P03": "unreachable",  # shutting down
    "3D000": "unreachable", "28000": "unreachable", "28P01": "unreachable",  # cannot log in
}
_POSTGRES_CLASSES = {"08": "unreachable", "53": "busy"}  # 53: out of resources

MIN_FREE_BYTES = 1 << 20  # below this a transaction's WAL frames may no longer fit
PHRASES = {
    "read-only": "is read-only", "disk-full": "has no space left",
    "disk-io": "reported a disk I/O error", "busy": "stayed locked or overloaded too long",
    "unreachable": "cannot be reached or opened",
}


class DatabaseUnreachable(ConnectionError):
    """Connecting to the database server failed at the network level (refused, no route)."""


class StorageUnavailable(DomainError):
    """The database cannot store or serve this now; nothing was changed."""

    status = 503
    error_id = "storage-unavailable"


def storage_failure(error: BaseException) -> str | None:
    """The reason ``error`` means the storage cannot write or be reached; None otherwise."""
    if isinstance(error, DatabaseUnreachable):
        return "unreachable"
    if isinstance(error, sa.TimeoutError):  # every pooled connection stayed busy
        return "busy"
    if not isinstance(error, sa.DBAPIError):
        return None
    name = getattr(error.orig, "sqlite_errorname", None)
    if isinstance(name, str):
        return next((reason for code, reason in _SQLITE.items()
                     if name == code or name.startswith(code + "_")), None)
    state = getattr(error.orig, "sqlstate", None)
    if isinstance(state, str):
        return _POSTGRES.get(state) or _POSTGRES_CLASSES.get(state[:2])
    return "unreachable" if error.connection_invalidated else None


def unavailable(reason: str, dialect: str) -> StorageUnavailable:
    """The API's answer for a storage failure: the reason, never the SQL or its values."""
    return StorageUnavailable(
        f"the database {PHRASES[reason]}: nothing was changed; try again later",
        reason=reason, database=dialect)


def driver_message(error: BaseException) -> str:
    """The driver's first line for ``error`` (for the operator: no SQL, no parameters)."""
    cause = error.orig if isinstance(error, sa.DBAPIError) else error.__cause__ or error
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__


def start_refusal(error: BaseException, url: str) -> str | None:
    """The one line ``hotline serve`` ends with when ``error`` is a storage failure."""
    reason = storage_failure(error)
    if reason is None:
        return None
    parsed = make_url(url)
    found = driver_message(error)
    state = explained(reason, parsed)
    if state["state"] != reason or "problem" in state:
        reason, found = state["state"], f"{state.get('problem', reason)}: {found}"
    shown = parsed.render_as_string(hide_password=True)
    return (f"error: storage-unavailable: the database {shown} {PHRASES[reason]} ({found}); "
            "the platform needs a database it can write")


def explained(reason: str, url: URL) -> dict[str, Any]:
    """``reason``, or what SQLite's file system says when it says more.

    SQLite on a full disk often fails growing its shared-memory file (an I/O error) and on
    a read-only mount cannot open its WAL (cannot open): the file system names the cause.
    """
    if url.get_backend_name() == "sqlite" and reason in ("disk-io", "unreachable"):
        state = sqlite_file_state(url)
        if state["state"] != "ok":
            return state
    return {"state": reason}


def sqlite_file_state(url: URL) -> dict[str, Any]:
    """What SQLite's file and its file system allow: read-only, full, or fine."""
    path = (url.database or "").removeprefix("file:")
    if url.query.get("mode") == "ro" or url.query.get("immutable") == "1":
        return {"state": "read-only", "problem": "opened read-only"}
    if not path or path == ":memory:":
        return {"state": "ok"}
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return {"state": "unreachable", "problem": f"no folder {folder}"}
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    if stats.f_flag & os.ST_RDONLY:
        return {"state": "read-only", "problem": "read-only file system", "free_bytes": free}
    writable = os.access(folder, os.W_OK) and (
        not os.path.exists(path) or os.access(path, os.W_OK))  # WAL writes beside it
    if not writable:
        return {"state": "read-only", "problem": "no write permission", "free_bytes": free}
    if free < MIN_FREE_BYTES:
        return {"state": "disk-full", "problem": "no space left", "free_bytes": free}
    return {"state": "ok", "free_bytes": free}


async def prove_writable(connection: AsyncConnection) -> None:
    """Write and commit something harmless: the migration stamp, rewritten as it is.

    A read-only database (a standby, a read-only mount or URI) or a full disk fails here,
    at start, rather than on the first citizen's ticket.
    """
    await connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
    await connection.commit()


class StartRefused(RuntimeError):
    """The platform will not start on this storage; the message is the one line to show."""


class ShortStartFailure:
    """ASGI wrapper: a start refused with :class:`StartRefused` is told in its own one line.

    Starlette reports any lifespan failure with the whole traceback, which the server logs;
    for a known storage problem the operator needs the sentence, not 200 lines of frames.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def short_send(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                lines = str(message.get("message", "")).strip().splitlines()
                marker = f"{StartRefused.__module__}.{StartRefused.__name__}: "
                if lines and lines[-1].startswith(marker):
                    message = {**message, "message": lines[-1].removeprefix(marker)}
            await send(message)

        await self.app(scope, receive, short_send)
