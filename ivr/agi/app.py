"""panoramisk's FastAGI ``Application`` as the route table, with its connection handler fixed.

panoramisk 1.4's ``handler`` spins forever when a peer closes before the blank line (it
reads ``b''`` in a loop), buffers an environment of any size, decodes it strictly (a caller
name in GBK raises), routes on the script with its query string, swallows ``CancelledError``
(``except BaseException``) and never waits for the socket to close. ``add_route`` wraps a
plain function with ``asyncio.coroutine``, gone in 3.11. This subclass replaces both.
"""

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable

from panoramisk.fast_agi import Application

from ivr.agi.channel import AgiChannel
from ivr.agi.request import AgiRequest, parse_environment
from ivr.errors import CallerHungUp, IvrError

log = logging.getLogger(__name__)

Route = Callable[[AgiChannel], Awaitable[object]]
Unrouted = Callable[[AgiRequest], None]
HEADER_TIMEOUT = 10.0  # Asterisk sends its environment at once; a silent peer is let go


async def read_request(reader: asyncio.StreamReader, within: float) -> AgiRequest | None:
    """The environment up to its blank line; None (logged) if the peer never sends one."""
    try:
        async with asyncio.timeout(within):
            block = await reader.readuntil(b"\n\n")
    except asyncio.IncompleteReadError as exc:
        log.warning("FastAGI peer closed before its environment ended (%d bytes)",
                    len(exc.partial))
    except asyncio.LimitOverrunError:
        log.warning("FastAGI peer sent an environment larger than the limit: dropped")
    except TimeoutError:
        log.warning("FastAGI peer sent no complete environment within %.0fs: dropped", within)
    except ConnectionError as exc:
        log.warning("FastAGI peer lost before its environment ended: %s", exc)
    else:
        return parse_environment(block)
    return None


class FastAgiApp(Application):  # type: ignore[misc]  # panoramisk has no type hints
    """Routes by name (``agi://host:port/<name>``); each connection is one route's run."""

    def __init__(self, loop: asyncio.AbstractEventLoop, header_timeout: float = HEADER_TIMEOUT,
                 unrouted: Unrouted | None = None) -> None:
        super().__init__(loop=loop)  # an explicit loop: get_event_loop() is deprecated
        self.header_timeout = header_timeout
        self.unrouted = unrouted or (lambda request: None)

    def add_route(self, path: str, endpoint: Route) -> None:
        """Register ``endpoint`` (an ``async def`` taking the AgiChannel) under ``path``."""
        if not inspect.iscoroutinefunction(endpoint):
            raise TypeError(f"FastAGI route {path!r} must be an async def")
        super().add_route(path, endpoint)

    def route_for(self, request: AgiRequest) -> Route | None:
        """The route the request names, if there is one."""
        route: Route | None = self._route.get(request.route) if request.route else None
        return route

    async def handler(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection: read the environment, run its route, close."""
        try:
            request = await read_request(reader, self.header_timeout)
            if request is None:
                return
            route = self.route_for(request)
            if route is None:
                # Closing at once returns the call to its dialplan, which goes on (to the
                # queue): an unknown route never costs a caller the call.
                log.error("AGI %s: no route %r (script %r): connection closed",
                          request.who, request.route, request.script)
                self.unrouted(request)
                return
            await route(AgiChannel(request, reader, writer))
        except CallerHungUp:
            log.info("FastAGI: the caller hung up")
        except IvrError as exc:
            log.warning("FastAGI route ended: %s: %s %s", exc.error_id, exc.message, exc.details)
        except Exception:
            log.exception("FastAGI route failed")
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()
