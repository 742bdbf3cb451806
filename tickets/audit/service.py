"""Write and read the personal-data audit log."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.audit.models import AuditEntry
from tickets.principal import Principal


def record_read(
    session: AsyncSession, actor: Principal, ticket_id: int | None, at: datetime,
    action: str = "read-requester", detail: str = "",
) -> None:
    """Add an audit row in the caller's transaction (committed with the read's work)."""
    session.add(AuditEntry(
        at=at, user_id=actor.user_id, username=actor.username, action=action,
        ticket_id=ticket_id, detail=detail,
    ))


async def entries_for_ticket(session: AsyncSession, ticket_id: int) -> Sequence[AuditEntry]:
    """Every audit row of one ticket, oldest first."""
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.ticket_id == ticket_id).order_by(AuditEntry.id)
    )
    return rows.all()
