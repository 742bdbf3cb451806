"""FastAPI dependencies of the linkage's routers.

The composition root authenticates every request and guards each of the linkage's routers
with the roles it admits; it records the acting user on ``request.state.actor`` and puts
the linkage's runtime on the app.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from linkage.errors import LinkageOff
from linkage.ports import TicketDesk
from linkage.service import LinkageService


@dataclass(frozen=True)
class LinkageRuntime:
    """What the linkage's routers need; built by the composition root."""

    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime]
    desk: TicketDesk  # the tickets' side: a ticket by number


def get_runtime(request: HTTPConnection) -> LinkageRuntime:
    runtime: LinkageRuntime = request.app.state.linkage_runtime
    return runtime


RuntimeDep = Annotated[LinkageRuntime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessionmaker() as session:
        yield session


async def actor_name(request: HTTPConnection) -> str:
    """Who acts, as the composition root's authentication recorded it."""
    return str(getattr(request.state, "actor", "system"))


def get_linkage(request: HTTPConnection) -> LinkageService:
    """The running linkage of this process, or :class:`LinkageOff`."""
    service = getattr(request.app.state, "linkage", None)
    if not isinstance(service, LinkageService):
        raise LinkageOff("the emergency linkage is not running in this process")
    return service


SessionDep = Annotated[AsyncSession, Depends(get_session)]
ActorDep = Annotated[str, Depends(actor_name)]
LinkageDep = Annotated[LinkageService, Depends(get_linkage)]
