"""Agents over HTTP: log in, pause with a reason, unpause, log out."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, StringConstraints

from telephony.agents import service
from telephony.ami.link import AmiLink
from telephony.deps import RuntimeDep
from telephony.errors import TelephonyError

router = APIRouter(prefix="/telephony/agents", tags=["telephony: agents"])

Interface = Annotated[str, StringConstraints(pattern=r"^(PJSIP|Local)/[A-Za-z0-9@/_.-]{1,80}$")]
QueueName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,64}$")]


class NoAmiLink(TelephonyError):
    status = 503
    error_id = "ami-link-off"


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interface: Interface
    queue: QueueName = "main"
    name: Annotated[str, StringConstraints(max_length=64)] = ""


class Logout(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interface: Interface
    queue: QueueName = "main"


class Pause(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interface: Interface
    reason: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Unpause(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interface: Interface


def get_link(runtime: RuntimeDep) -> AmiLink:
    if runtime.link is None:
        raise NoAmiLink("no AMI link in this process")
    return runtime.link


LinkDep = Annotated[AmiLink, Depends(get_link)]


@router.post("/login")
async def login(body: Login, link: LinkDep) -> dict[str, str]:
    """Join a queue."""
    await service.login(link, body.interface, body.queue, body.name)
    return {"interface": body.interface, "action": "login"}


@router.post("/logout")
async def logout(body: Logout, link: LinkDep) -> dict[str, str]:
    """Leave a queue."""
    await service.logout(link, body.interface, body.queue)
    return {"interface": body.interface, "action": "logout"}


@router.post("/pause")
async def pause(body: Pause, link: LinkDep) -> dict[str, str]:
    """Pause with a reason (午餐, 培训, 小休…)."""
    await service.pause(link, body.interface, body.reason)
    return {"interface": body.interface, "action": "pause"}


@router.post("/unpause")
async def unpause(body: Unpause, link: LinkDep) -> dict[str, str]:
    """Back to receiving calls."""
    await service.unpause(link, body.interface)
    return {"interface": body.interface, "action": "unpause"}
