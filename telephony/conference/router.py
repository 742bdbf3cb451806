"""Three-party calls, transfers, hang-up and monitoring over HTTP.

Two routers, so the composition root can guard them apart: ``router`` for agents and
supervisors, ``monitor_router`` for supervisors alone. Every route checks who asks (an
agent steers only the calls their seat answered) and what it would dial (a unit's
registered number or the allow-list; an agent extension or a queue this PBX has).
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from telephony.calls.machine import Call
from telephony.conference.errors import AmiDown, CallNotFound
from telephony.conference.schemas import CallActionOut, ConferenceIn, MonitorIn, TransferIn
from telephony.conference.service import ConferenceService
from telephony.controller.router import ControllerOff
from telephony.deps import OperatorDep, RuntimeDep, SessionDep, TelephonyRuntime
from telephony.seats.service import Operator, require_own_call
from telephony.targets.service import NoUnits, require_allowed

router = APIRouter(prefix="/telephony/calls", tags=["telephony: conference and transfer"])
monitor_router = APIRouter(prefix="/telephony/calls", tags=["telephony: monitoring"])


def get_service(request: HTTPConnection, runtime: RuntimeDep) -> ConferenceService:
    """The app's one service (it remembers the rooms it set up), built on first use."""
    controller = runtime.controller
    if controller is None:
        raise ControllerOff("the call controller is not running in this process")
    if runtime.conference is not None and runtime.conference.controller is controller:
        return runtime.conference
    known = getattr(request.app.state, "conference", None)
    if isinstance(known, ConferenceService) and known.controller is controller:
        return known
    if runtime.link is None:
        raise AmiDown("no AMI link in this process")
    service = ConferenceService(runtime.link, controller, runtime.dialing)
    request.app.state.conference = service
    return service


ServiceDep = Annotated[ConferenceService, Depends(get_service)]


@dataclass(frozen=True)
class Asker:
    """Who asks and what they need: checked in the route, after the body is validated."""

    service: ConferenceService
    operator: Operator
    session: AsyncSession
    runtime: TelephonyRuntime

    async def own_call(self, linkedid: str) -> Call:
        """The live call, if the asker may steer it (their seat answered it, or they supervise)."""
        call = self.service.controller.line.calls.get(linkedid)
        if call is None:
            raise CallNotFound(f"no live call {linkedid}", linkedid=linkedid)
        await require_own_call(self.session, self.runtime.seats, self.operator, call)
        return call


def get_asker(service: ServiceDep, operator: OperatorDep, session: SessionDep,
              runtime: RuntimeDep) -> Asker:
    return Asker(service, operator, session, runtime)


AskerDep = Annotated[Asker, Depends(get_asker)]


@router.post("/{linkedid}/conference")
async def conference(linkedid: str, body: ConferenceIn, asker: AskerDep) -> CallActionOut:
    """三方通话: caller and agent into a room named after the ticket, the unit called in."""
    call = await asker.own_call(linkedid)
    number = await require_allowed(asker.session, asker.runtime.units, body.unit_number)
    room = await asker.service.conference(call.linkedid, number,
                                          body.room or body.ticket_number, body.attempt)
    return CallActionOut(linkedid=call.linkedid, action="conference", room=room.name)


@router.post("/{linkedid}/agent-leaves")
async def agent_leaves(linkedid: str, asker: AskerDep) -> CallActionOut:
    """The agent hangs up; caller and unit stay in the room."""
    call = await asker.own_call(linkedid)
    room = await asker.service.agent_leaves(call.linkedid)
    return CallActionOut(linkedid=call.linkedid, action="agent-leaves", room=room.name)


@router.post("/{linkedid}/hang-up")
async def hang_up(linkedid: str, asker: AskerDep) -> CallActionOut:
    """挂断: the agent's own leg hangs up (in a three-party call: the agent leaves it)."""
    call = await asker.own_call(linkedid)
    done = await asker.service.hang_up(call.linkedid)
    return CallActionOut(linkedid=call.linkedid, action="hang-up", room=done.room,
                         channel=done.channel)


@router.post("/{linkedid}/transfer")
async def transfer(linkedid: str, body: TransferIn, asker: AskerDep) -> CallActionOut:
    """One-touch blind transfer of the caller to an agent's extension or a queue."""
    call = await asker.own_call(linkedid)
    _require_transfer_target(asker.runtime, body.to)
    channel = await asker.service.transfer(call.linkedid, body.to)
    return CallActionOut(linkedid=call.linkedid, action="transfer", channel=channel)


@router.post("/{linkedid}/transfer-provincial")
async def transfer_provincial(linkedid: str, asker: AskerDep) -> CallActionOut:
    """The caller to the provincial 12345 line (the number is the deployment's setting)."""
    call = await asker.own_call(linkedid)
    channel = await asker.service.transfer_provincial(call.linkedid)
    return CallActionOut(linkedid=call.linkedid, action="transfer-provincial", channel=channel)


@monitor_router.post("/{linkedid}/monitor")
async def monitor(linkedid: str, body: MonitorIn, asker: AskerDep) -> CallActionOut:
    """Ring the supervisor, who then listens to, whispers to or barges into the agent's call."""
    call = await asker.own_call(linkedid)
    phone = await _supervisor_phone(asker.session, asker.runtime, body.supervisor_phone)
    channel = await asker.service.monitor(call.linkedid, body.mode, phone, body.attempt)
    return CallActionOut(linkedid=call.linkedid, action=f"monitor-{body.mode.value}",
                         channel=channel)


def _require_transfer_target(runtime: TelephonyRuntime, to: str) -> None:
    """An agent extension of this PBX (digits) or one of its queues (a name)."""
    if to.isdigit():
        runtime.seats.require_extension(to)
    else:
        runtime.seats.require_queue(to)


async def _supervisor_phone(session: AsyncSession, runtime: TelephonyRuntime,
                            phone: str) -> str:
    """A seat's extension of this PBX, else a number on the allow-list (never a unit's)."""
    if phone in runtime.seats.extensions:
        return phone
    return await require_allowed(session, NoUnits(), phone)
