"""Whether a number may be dialled into a call: a unit's registered number or the allow-list.

The units live in the ticket domain; telephony asks through :class:`UnitNumbers`, which the
composition root implements, so an agent can never make the trunk dial a number nobody
registered.
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.targets.errors import TargetNotAllowed, TargetNotListed
from telephony.targets.models import DialTarget

log = logging.getLogger(__name__)


class UnitNumbers(Protocol):
    """The handling units' registered contact and duty numbers."""

    async def registered(self, digits: str) -> bool: ...


class NoUnits:
    """No unit directory in this process: only the allow-list admits numbers."""

    async def registered(self, digits: str) -> bool:
        return False


def digits_of(number: str) -> str:
    """The digits a dial string is made of (``0435-3333333`` and ``04353333333`` are one)."""
    return "".join(c for c in number if c.isdigit())


async def listed(session: AsyncSession) -> Sequence[DialTarget]:
    return (await session.scalars(select(DialTarget).order_by(DialTarget.number))).all()


async def add(session: AsyncSession, number: str, label: str, actor: str,
              now: datetime) -> DialTarget:
    """Allow ``number`` (stored as digits); a second add relabels it."""
    digits = digits_of(number)
    row = await session.get(DialTarget, digits) or DialTarget(number=digits)
    row.label, row.added_by, row.added_at = label, actor, now
    session.add(row)
    await session.commit()
    log.info("dial target %s (%s) allowed by %s", digits, label, actor)
    return row


async def remove(session: AsyncSession, number: str, actor: str) -> None:
    row = await session.get(DialTarget, digits_of(number))
    if row is None:
        raise TargetNotListed(f"{number} is not on the allow-list", number=number)
    await session.delete(row)
    await session.commit()
    log.info("dial target %s removed by %s", row.number, actor)


async def require_allowed(session: AsyncSession, units: UnitNumbers, number: str) -> str:
    """``number``'s digits if a unit registered it or it is on the allow-list; else refuse."""
    digits = digits_of(number)
    if digits and (await session.get(DialTarget, digits) is not None
                   or await units.registered(digits)):
        return digits
    log.warning("refused to dial %s: neither a unit's number nor on the allow-list", number)
    raise TargetNotAllowed(f"{number} is neither a unit's registered number nor on the "
                           "allow-list", number=number)
