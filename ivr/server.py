"""The IVR's FastAGI server: ``agi://host:port/ivr`` (main menu), ``/revisit`` (survey)."""

import asyncio
import logging
from collections.abc import Callable
from types import TracebackType

from ivr.agi.app import HEADER_TIMEOUT, FastAgiApp
from ivr.agi.channel import AgiChannel
from ivr.agi.request import AgiRequest
from ivr.config import IvrConfig
from ivr.menu import MainMenu
from ivr.outcome import RouteOutcome
from ivr.ports import SurveyBackend, TicketLookup
from ivr.prompts.player import Prompts
from ivr.survey import RevisitSurveyRoute

log = logging.getLogger(__name__)

Listener = Callable[[RouteOutcome], None]
ROUTES = ("ivr", "revisit")


class IvrServer:
    """Serves Asterisk's FastAGI requests; one connection is one call's pass through a route."""

    # ``on_finished`` hears every request's outcome (figures, tests); it must not raise.
    # ``port`` 0 picks a free port, read back from ``self.port`` after ``start``.

    def __init__(self, host: str, port: int, *, tickets: TicketLookup, surveys: SurveyBackend,
                 prompts: Prompts, config: IvrConfig | None = None,
                 on_finished: Listener | None = None,
                 header_timeout: float = HEADER_TIMEOUT) -> None:
        self.host = host
        self.port = port
        self.config = config or IvrConfig()
        self.prompts = prompts
        self.menu = MainMenu(prompts, tickets, self.config)
        self.survey = RevisitSurveyRoute(prompts, surveys, self.config)
        self.on_finished = on_finished or (lambda outcome: None)
        self.header_timeout = header_timeout
        self._server: asyncio.Server | None = None
        self._app: FastAgiApp | None = None
        self._calls: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen for Asterisk."""
        app = FastAgiApp(asyncio.get_running_loop(), self.header_timeout, self._unrouted)
        app.add_route("ivr", self._ivr)
        app.add_route("revisit", self._revisit)
        self._app = app
        self._server = await asyncio.start_server(self._connected, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("FastAGI server (IVR) on %s:%d", self.host, self.port)

    async def stop(self, grace: float = 5.0) -> None:
        """Stop listening; calls still in a route get ``grace`` seconds, then are let go."""
        # A call let go goes on in its dialplan (to the queue); an unfinished survey is
        # reported abandoned ("interrupted").
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._calls:
            _, late = await asyncio.wait(tuple(self._calls), timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)

    async def __aenter__(self) -> "IvrServer":
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    @property
    def active_calls(self) -> int:
        """Connections being served now."""
        return len(self._calls)

    async def _connected(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None and self._app is not None
        self._calls.add(task)
        try:
            await self._app.handler(reader, writer)
        finally:
            self._calls.discard(task)

    async def _ivr(self, channel: AgiChannel) -> None:
        self._finished(await self.menu.run(channel))

    async def _revisit(self, channel: AgiChannel) -> None:
        self._finished(await self.survey.run(channel))

    def _unrouted(self, request: AgiRequest) -> None:
        self._finished(RouteOutcome(request.route, request.uniqueid, None, "unrouted",
                                    request.script))

    def _finished(self, outcome: RouteOutcome) -> None:
        try:
            self.on_finished(outcome)
        except Exception:
            log.exception("the IVR outcome listener failed")
