"""Three-party calls, transfers and monitoring over HTTP.

Two routers, so the composition root can guard them apart: ``router`` for agents and
supervisors, ``monitor_router`` for supervisors alone.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import HTTPConnection

from telephony.conference.schemas import CallActionOut, ConferenceIn, MonitorIn, TransferIn
from telephony.conference.service import AmiDown, ConferenceService
from telephony.controller.router import ControllerOff
from telephony.deps import RuntimeDep

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


@router.post("/{linkedid}/conference")
async def conference(linkedid: str, body: ConferenceIn, service: ServiceDep) -> CallActionOut:
    """三方通话: caller and agent into a room named after the ticket, the unit called in."""
    room = await service.conference(linkedid, body.unit_number,
                                    body.room or body.ticket_number, body.attempt)
    return CallActionOut(linkedid=linkedid, action="conference", room=room.name)


@router.post("/{linkedid}/agent-leaves")
async def agent_leaves(linkedid: str, service: ServiceDep) -> CallActionOut:
    """The agent hangs up; caller and unit stay in the room."""
    room = await service.agent_leaves(linkedid)
    return CallActionOut(linkedid=linkedid, action="agent-leaves", room=room.name)


@router.post("/{linkedid}/transfer")
async def transfer(linkedid: str, body: TransferIn, service: ServiceDep) -> CallActionOut:
    """One-touch blind transfer of the caller to an agent's extension or a queue."""
    channel = await service.transfer(linkedid, body.to)
    return CallActionOut(linkedid=linkedid, action="transfer", channel=channel)


@router.post("/{linkedid}/transfer-provincial")
async def transfer_provincial(linkedid: str, service: ServiceDep) -> CallActionOut:
    """The caller to the provincial 12345 line."""
    channel = await service.transfer_provincial(linkedid)
    return CallActionOut(linkedid=linkedid, action="transfer-provincial", channel=channel)


@monitor_router.post("/{linkedid}/monitor")
async def monitor(linkedid: str, body: MonitorIn, service: ServiceDep) -> CallActionOut:
    """Ring the supervisor, who then listens to, whispers to or barges into the agent's call."""
    channel = await service.monitor(linkedid, body.mode, body.supervisor_phone, body.attempt)
    return CallActionOut(linkedid=linkedid, action=f"monitor-{body.mode.value}",
                         channel=channel)
