"""``/health``'s view of the database: reachable, writable, room left, no write refused lately.

Cheap by design (a load balancer asks every few seconds): one trivial query, a look at the
SQLite file's file system, and the memory of the last write the storage refused. Nothing in
it takes a write lock, so a long import never makes the health check wait.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.storage import explained, sqlite_file_state, storage_failure

PROBE_TIMEOUT_SECONDS = 3.0
REMEMBER_SECONDS = 60.0  # a refused write keeps /health degraded this long (disk full on a
# server: no cheap query can see it, only the writes that fail)


READ_ONLY = text("SELECT current_setting('transaction_read_only')")


@dataclass
class StorageWatch:
    """The last storage failure the API answered, told to /health."""

    clock: Callable[[], float] = time.monotonic
    remember_seconds: float = REMEMBER_SECONDS
    last: tuple[str, float] | None = field(default=None, init=False)

    def failed(self, reason: str) -> None:
        self.last = (reason, self.clock())

    def recent(self) -> dict[str, Any] | None:
        """The reason and age of a failure younger than ``remember_seconds``, else None."""
        if self.last is None:
            return None
        reason, at = self.last
        age = self.clock() - at
        return {"reason": reason, "seconds_ago": round(age, 1)} if age < self.remember_seconds \
            else None


async def database_health(sessionmaker: async_sessionmaker[AsyncSession],
                          watch: StorageWatch) -> dict[str, Any]:
    """``{"state": "ok" | reason, ...}`` for the database behind ``sessionmaker``."""
    try:
        report = await asyncio.wait_for(_probe(sessionmaker), PROBE_TIMEOUT_SECONDS)
    except TimeoutError:
        report = {"state": "unreachable", "problem": "no answer within "
                                                    f"{PROBE_TIMEOUT_SECONDS:g} s"}
    except Exception as exc:
        reason = storage_failure(exc)
        report = {"state": reason or "error", "problem": type(exc).__name__}
        bind = sessionmaker.kw.get("bind")
        if reason is not None and bind is not None:
            report.update(explained(reason, bind.url))
    recent = watch.recent()
    if recent is not None:
        report["last_refused_write"] = recent
        if report["state"] == "ok":
            report["state"] = recent["reason"]
    return report


async def _probe(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    async with sessionmaker() as session:
        url: URL = session.get_bind().engine.url
        if url.get_backend_name() == "postgresql":
            # 'on' on a standby or with default_transaction_read_only: every write would fail
            read_only = await session.scalar(READ_ONLY)
            state = "read-only" if read_only == "on" else "ok"
            return {"state": state, "kind": "postgresql"}
        await session.scalar(text("SELECT 1"))
    return {"kind": "sqlite", **sqlite_file_state(url)}
