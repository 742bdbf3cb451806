"""Seat bindings and the checks every steering route makes: who asks, on which seat, which call.

An agent acts only on the seat bound to them and on the calls that seat answered; a
supervisor (or an administrator) acts on any. Interfaces are ``PJSIP/<known extension>``;
the simulator's answerers (``Local/<ext>@sim-agent/n``) only on a PBX with no carrier trunk,
where nothing they could reach leaves the machine.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.calls.machine import Call
from telephony.seats.errors import (
    InterfaceNotAllowed,
    NoSeatBound,
    NotYourCall,
    NotYourSeat,
    QueueUnknown,
    SeatNotBound,
    SeatTaken,
    UnknownExtension,
)
from telephony.seats.models import SeatBinding

log = logging.getLogger(__name__)

SIMULATED_AGENT = "Local/{extension}@sim-agent/n"


@dataclass(frozen=True)
class Operator:
    """Who asks the telephony API, as the composition root's authentication says."""

    username: str
    supervises: bool = False  # supervisors and administrators act on every seat and call


@dataclass(frozen=True)
class SeatRules:
    """The PBX's agent extensions and queues, and whether simulated answerers may log in."""

    extensions: frozenset[str] = frozenset()
    queues: frozenset[str] = frozenset({"main"})
    simulated_agents: bool = False  # only on a PBX without a carrier trunk

    def interfaces(self, extension: str) -> list[str]:
        """The interfaces a seat may log in with."""
        found = [f"PJSIP/{extension}"]
        if self.simulated_agents:
            found.append(SIMULATED_AGENT.format(extension=extension))
        return found

    def extension_of(self, interface: str) -> str:
        """The known extension behind an allowed interface, else :class:`InterfaceNotAllowed`."""
        for extension in self.extensions:
            if interface in self.interfaces(extension):
                return extension
        raise InterfaceNotAllowed(
            f"{interface} is not an agent seat of this PBX", interface=interface,
            allowed="PJSIP/<extension>" + (" or Local/<extension>@sim-agent/n"
                                           if self.simulated_agents else ""))

    def require_queue(self, queue: str) -> str:
        if queue not in self.queues:
            raise QueueUnknown(f"no queue {queue} on this PBX", queue=queue,
                               queues=sorted(self.queues))
        return queue

    def require_extension(self, extension: str) -> str:
        if extension not in self.extensions:
            raise UnknownExtension(f"{extension} is not an agent extension of this PBX",
                                   extension=extension)
        return extension


async def seat_of(session: AsyncSession, username: str) -> str | None:
    """The extension bound to ``username``, if any."""
    found: str | None = await session.scalar(
        select(SeatBinding.extension).where(SeatBinding.username == username))
    return found


async def bindings(session: AsyncSession) -> Sequence[SeatBinding]:
    """Every binding, by extension."""
    return (await session.scalars(select(SeatBinding).order_by(SeatBinding.extension))).all()


async def bind(session: AsyncSession, rules: SeatRules, extension: str, username: str,
               actor: str, now: datetime) -> SeatBinding:
    """Bind ``username`` to ``extension`` (moving them off any other seat)."""
    rules.require_extension(extension)
    taken = await session.get(SeatBinding, extension)
    if taken is not None and taken.username != username:
        raise SeatTaken(f"seat {extension} is bound to {taken.username}", extension=extension,
                        username=taken.username)
    previous = await session.scalar(select(SeatBinding).where(SeatBinding.username == username))
    if previous is not None and previous.extension != extension:
        await session.delete(previous)
        await session.flush()
    row = taken or SeatBinding(extension=extension, username=username)
    row.bound_by, row.bound_at = actor, now
    session.add(row)
    await session.commit()
    log.info("seat %s bound to %s by %s", extension, username, actor)
    return row


async def unbind(session: AsyncSession, extension: str, actor: str) -> None:
    """Free a seat."""
    row = await session.get(SeatBinding, extension)
    if row is None:
        raise SeatNotBound(f"seat {extension} is not bound", extension=extension)
    await session.delete(row)
    await session.commit()
    log.info("seat %s (%s) unbound by %s", extension, row.username, actor)


async def own_interface(session: AsyncSession, rules: SeatRules, operator: Operator,
                        requested: str | None) -> str:
    """The interface ``operator`` may steer: their own seat's, or any seat's for a supervisor."""
    if operator.supervises and requested is not None:
        rules.extension_of(requested)
        return requested
    extension = await seat_of(session, operator.username)
    if extension is None or extension not in rules.extensions:
        raise NoSeatBound(f"no seat is bound to {operator.username}: ask an administrator",
                          username=operator.username)
    allowed = rules.interfaces(extension)
    if requested is None:
        return allowed[0]
    if requested not in allowed:
        rules.extension_of(requested)  # an interface of no seat says so first
        raise NotYourSeat(f"{requested} is not your seat ({extension})",
                          interface=requested, seat=extension)
    return requested


async def require_own_call(session: AsyncSession, rules: SeatRules, operator: Operator,
                           call: Call) -> None:
    """Refuse unless ``call`` was answered on ``operator``'s seat (supervisors: any call)."""
    if operator.supervises:
        return
    extension = await seat_of(session, operator.username)
    mine = rules.interfaces(extension) if extension is not None else []
    if call.agent is None or call.agent not in mine:
        raise NotYourCall(f"call {call.linkedid} is not on your seat",
                          linkedid=call.linkedid, seat=extension)
