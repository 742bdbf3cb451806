"""Agents over HTTP: log in, pause with a reason, unpause, log out — on one's own seat.

An agent names no interface (their bound seat's is used) or their own seat's; a supervisor
may name any agent seat of this PBX. Anything else is refused before Asterisk hears of it.
"""

from typing import Annotated

from fastapi import APIRouter
from pydantic import StringConstraints

from kernel.schemas import Strict
from telephony.agents import service
from telephony.ami.link import AmiLink
from telephony.deps import OperatorDep, RuntimeDep, SessionDep, TelephonyRuntime
from telephony.errors import TelephonyError
from telephony.seats.service import own_interface

router = APIRouter(prefix="/telephony/agents", tags=["telephony: agents"])

Interface = Annotated[str, StringConstraints(pattern=r"^(PJSIP|Local)/[A-Za-z0-9@/_.-]{1,80}$")]
QueueName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,64}$")]


class NoAmiLink(TelephonyError):
    status = 503
    error_id = "ami-link-off"


class Seat(Strict):
    """Which seat: none for one's own."""

    interface: Interface | None = None


class Login(Seat):
    queue: QueueName = "main"


class Logout(Seat):
    queue: QueueName = "main"


class Pause(Seat):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _link(runtime: TelephonyRuntime) -> AmiLink:
    if runtime.link is None:
        raise NoAmiLink("no AMI link in this process")
    return runtime.link


async def _interface(body: Seat, operator: OperatorDep, session: SessionDep,
                     runtime: RuntimeDep) -> str:
    """Checked before Asterisk is asked anything: whose seat, and whether it is one."""
    return await own_interface(session, runtime.seats, operator, body.interface)


@router.post("/login")
async def login(body: Login, operator: OperatorDep, session: SessionDep,
                runtime: RuntimeDep) -> dict[str, str]:
    """Join a queue this PBX has."""
    interface = await _interface(body, operator, session, runtime)
    queue = runtime.seats.require_queue(body.queue)
    await service.login(_link(runtime), interface, queue, operator.username)
    return {"interface": interface, "action": "login", "queue": queue}


@router.post("/logout")
async def logout(body: Logout, operator: OperatorDep, session: SessionDep,
                 runtime: RuntimeDep) -> dict[str, str]:
    """Leave a queue."""
    interface = await _interface(body, operator, session, runtime)
    queue = runtime.seats.require_queue(body.queue)
    await service.logout(_link(runtime), interface, queue)
    return {"interface": interface, "action": "logout", "queue": queue}


@router.post("/pause")
async def pause(body: Pause, operator: OperatorDep, session: SessionDep,
                runtime: RuntimeDep) -> dict[str, str]:
    """Pause with a reason (午餐, 培训, 小休…)."""
    interface = await _interface(body, operator, session, runtime)
    await service.pause(_link(runtime), interface, body.reason)
    return {"interface": interface, "action": "pause"}


@router.post("/unpause")
async def unpause(body: Seat, operator: OperatorDep, session: SessionDep,
                  runtime: RuntimeDep) -> dict[str, str]:
    """Back to receiving calls."""
    interface = await _interface(body, operator, session, runtime)
    await service.unpause(_link(runtime), interface)
    return {"interface": interface, "action": "unpause"}
