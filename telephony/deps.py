"""FastAPI dependencies of telephony's routers.

Authentication belongs to the composition root: it guards these routers and records the
authenticated user's name on ``request.state.actor``.
"""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from kernel.clock import BEIJING
from telephony.dialing import Dialing
from telephony.routing.service import AstDb
from telephony.seats.errors import OperatorUnknown
from telephony.seats.service import Operator, SeatRules
from telephony.targets.service import NoUnits, UnitNumbers

if TYPE_CHECKING:
    from telephony.ami.link import AmiLink
    from telephony.conference.service import ConferenceService
    from telephony.controller.service import CallController


def _now() -> datetime:
    return datetime.now(BEIJING)


@dataclass
class TelephonyRuntime:
    """What telephony's routers need; built by the composition root."""

    sessionmaker: async_sessionmaker[AsyncSession]
    astdb: AstDb | None = None
    clock: Callable[[], datetime] = _now
    controller: "CallController | None" = None
    link: "AmiLink | None" = None
    dialing: Dialing = field(default_factory=Dialing)
    # One service steers the rooms, whoever set them up (the agents' API, the linkage).
    conference: "ConferenceService | None" = None
    seats: SeatRules = field(default_factory=SeatRules)
    units: UnitNumbers = field(default_factory=NoUnits)


def get_runtime(request: HTTPConnection) -> TelephonyRuntime:
    runtime: TelephonyRuntime = request.app.state.telephony
    return runtime


RuntimeDep = Annotated[TelephonyRuntime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessionmaker() as session:
        yield session


def actor_name(request: HTTPConnection) -> str:
    """Who is acting, as the composition root's authentication recorded it."""
    return str(getattr(request.state, "actor", "system"))


def current_operator(request: HTTPConnection) -> Operator:
    """Who asks, as the composition root's authentication recorded it on the request."""
    operator = getattr(request.state, "operator", None)
    if not isinstance(operator, Operator):
        raise OperatorUnknown("log in first: this route needs an authenticated user")
    return operator


SessionDep = Annotated[AsyncSession, Depends(get_session)]
ActorDep = Annotated[str, Depends(actor_name)]
OperatorDep = Annotated[Operator, Depends(current_operator)]
