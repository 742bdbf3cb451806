"""AmiLink: the platform's one AMI client, on panoramisk's protocol, guarding its defects."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Self

from telephony.ami.connection import ActionFields, AmiConnection, Counters
from telephony.ami.dispatch import Dispatcher, Subscriber
from telephony.ami.errors import (
    AmiActionFailed,
    AmiBadAction,
    AmiError,
    AmiLoginRefused,
    AmiNotConnected,
    AmiTimeout,
)
from telephony.ami.events import AmiEvent
from telephony.ami.frames import DEFAULT_MAX_MESSAGE, FrameStats
from telephony.ami.originate import (
    OriginateBook,
    OriginateRequest,
    OriginateResult,
    check_key,
    originate_fields,
    run_originate,
)
from telephony.ami.pending import AmiResponse

log = logging.getLogger(__name__)

Hook = Callable[["AmiLink"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class AmiCounters:
    """What the link has seen since it was created, for the status page and the benchmark."""

    events: int
    dispatched: int
    malformed: int
    dropped_frames: int
    ignored_lines: int
    unsolicited: int
    reconnects: int
    pong_timeouts: int
    subscriber_errors: int


class AmiLink:
    """One AMI session to one Asterisk that stays up by itself and never duplicates a call."""

    # After every (re)connect and login, on_connected(link) runs before any event of the new
    # session is delivered: the controller resynchronises, then applies what followed.
    # Subscribers must not block for long: events are delivered one at a time, in order.

    def __init__(
        self,
        host: str,
        port: int,
        username: str,
        secret: str,
        *,
        events: str = "on",
        on_connected: Hook | None = None,
        connect_timeout: float = 5.0,
        action_timeout: float = 10.0,
        ping_interval: float = 10.0,
        pong_timeout: float = 5.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        hook_timeout: float = 60.0,
        max_message: int = DEFAULT_MAX_MESSAGE,
        originate_memory: int = 10_000,
    ) -> None:
        self.host, self.port = host, port
        self._login_fields = {"Action": "Login", "Username": username, "Secret": secret}
        self._login_fields["Events"] = events
        self._on_connected = on_connected
        self._connect_timeout = connect_timeout
        self.action_timeout = action_timeout
        self._ping_interval, self._pong_timeout = ping_interval, pong_timeout
        self._backoff = (backoff_initial, backoff_max)
        self._hook_timeout = hook_timeout
        self._max_message = max_message
        self._book = OriginateBook(originate_memory)
        self._dispatcher = Dispatcher(self._backlog)
        self._counts, self._frames = Counters(), FrameStats()
        self._conn: AmiConnection | None = None
        self._logged_in = False
        self._ready = asyncio.Event()
        self._failures = self._logins = self._reconnects = self._pong_timeouts = 0
        self._closing = False
        self._tasks: set[asyncio.Task[None]] = set()
        self.version: str | None = None
        self.last_error: BaseException | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background, and keep connecting; call from a running loop."""
        if self._tasks:
            return
        self._closing = False
        self._spawn(self._dispatcher.run())
        self._spawn(self._run())

    async def close(self) -> None:
        """Stop reconnecting, drop the connection, stop delivering events."""
        self._closing = True
        if self._conn is not None:
            self._conn.abort()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def __aenter__(self) -> Self:
        self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        """Logged in on a live connection (true already while on_connected runs)."""
        return self._logged_in and self._conn is not None and not self._conn.closed

    async def wait_connected(self, within: float) -> None:
        """Wait up to `within` seconds until logged in and on_connected has run."""
        try:
            async with asyncio.timeout(within):
                await self._ready.wait()
        except TimeoutError:
            error = repr(self.last_error)
            raise AmiTimeout(f"AMI not connected within {within}s", error=error) from None

    @property
    def counters(self) -> AmiCounters:
        """A snapshot of the link's counters."""
        return AmiCounters(
            events=self._counts.events,
            dispatched=self._dispatcher.dispatched,
            malformed=self._counts.malformed,
            dropped_frames=self._frames.dropped,
            ignored_lines=self._frames.ignored_lines,
            unsolicited=self._counts.unsolicited,
            reconnects=self._reconnects,
            pong_timeouts=self._pong_timeouts,
            subscriber_errors=self._dispatcher.errors,
        )

    # -- using the link -----------------------------------------------------------------------

    def subscribe(self, callback: Subscriber, *types: type[AmiEvent]) -> Callable[[], None]:
        """Deliver typed events (of these types, or all) to an async callback, in order."""
        return self._dispatcher.subscribe(callback, *types)

    async def send_action(
        self, fields: ActionFields, *, within: float | None = None
    ) -> AmiResponse:
        """Send an action, await its answer (`within` seconds); list items come in ``events``."""
        if any(k.lower() == "action" and str(v).lower() == "originate" for k, v in fields.items()):
            raise AmiBadAction("send an Originate with originate(), which is idempotent")
        return await self._live().request(fields, within=within or self.action_timeout)

    async def originate(self, key: str, request: OriginateRequest) -> OriginateResult:
        """Place a call once per key: a repeated key gets the first outcome, never a new call."""
        check_key(key)
        known = self._book.get(key)
        if known is not None:
            log.info("originate %r already %s: no new call", key, _state(known))
            return await asyncio.shield(known)
        fields = originate_fields(key, request)
        conn = self._live()
        outcome = self._book.open(key)
        within = request.ring_timeout + self.action_timeout
        self._spawn(run_originate(conn, self._book, key, fields, within, outcome))
        return await asyncio.shield(outcome)

    def _live(self) -> AmiConnection:
        if not self.connected or self._conn is None:
            raise AmiNotConnected("the AMI link is not connected", host=self.host, port=self.port)
        return self._conn

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the connection supervisor ------------------------------------------------------------

    async def _run(self) -> None:
        while not self._closing:
            try:
                await self._session()
            except (OSError, TimeoutError, AmiError) as exc:
                self.last_error = exc
                log.warning("AMI link to %s:%s failed: %r", self.host, self.port, exc)
            except Exception as exc:  # a bug in the on_connected hook, most likely
                self.last_error = exc
                log.exception("AMI session failed; reconnecting")
            if self._closing:
                break
            log.warning("AMI link to %s:%s down; reconnecting", self.host, self.port)
            await asyncio.sleep(self._delay())

    def _delay(self) -> float:
        initial, ceiling = self._backoff
        delay = min(ceiling, initial * (1 << min(self._failures, 30)))
        self._failures += 1
        return delay * random.uniform(0.75, 1.0)  # jitter spreads nodes reconnecting at once

    async def _session(self) -> None:
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(self._connect_timeout):
            _, conn = await loop.create_connection(self._new_connection, self.host, self.port)
        self._conn = conn
        pinger: asyncio.Task[None] | None = None
        try:
            await self._login(conn)
            # Events of the previous session go out before the resync, then the new ones.
            await self._dispatcher.drain()
            await self._run_hook()
            self._failures = 0
            conn.release()
            self._ready.set()
            pinger = asyncio.create_task(self._pinger(conn))
            await conn.lost
        finally:
            self._ready.clear()
            self._logged_in = False
            if pinger is not None:
                pinger.cancel()
            conn.release()  # what was held still happened; deliver it
            conn.abort()
            self._conn = None

    def _new_connection(self) -> AmiConnection:
        return AmiConnection(self._dispatcher.push, self._counts, self._frames, self._max_message)

    async def _login(self, conn: AmiConnection) -> None:
        try:
            await conn.request(self._login_fields, within=self.action_timeout)
        except AmiActionFailed as exc:
            user = self._login_fields["Username"]
            raise AmiLoginRefused("Asterisk refused the AMI login", username=user) from exc
        if self._logins:
            self._reconnects += 1
        self._logins += 1
        self._logged_in = True
        self.version = conn.decoder.version
        log.info("AMI logged in to %s:%s (AMI %s)", self.host, self.port, self.version)

    async def _run_hook(self) -> None:
        if self._on_connected is None:
            return
        async with asyncio.timeout(self._hook_timeout):
            await self._on_connected(self)

    async def _pinger(self, conn: AmiConnection) -> None:
        # panoramisk pings but never checks the Pong; a silent peer must cost the connection.
        while not conn.closed:
            await asyncio.sleep(self._ping_interval)
            if conn.reading_paused:
                continue  # we are the slow side; the peer may well have answered
            try:
                await conn.request({"Action": "Ping"}, within=self._pong_timeout)
            except AmiTimeout:
                if conn.reading_paused:
                    continue
                self._pong_timeouts += 1
                log.warning(
                    "AMI peer silent for %ss after Ping: half-open, reconnecting",
                    self._pong_timeout,
                )
                conn.abort()
                return
            except AmiActionFailed:
                continue  # an answer, even an error, proves the peer alive
            except AmiError:
                return  # the connection is gone; the supervisor reconnects

    def _backlog(self, paused: bool) -> None:
        if self._conn is not None:
            self._conn.set_reading_paused(paused)


def _state(future: asyncio.Future[OriginateResult]) -> str:
    return "settled" if future.done() else "in flight"
