"""Write and read the audit log: reads of personal data, and security events."""

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


def record_event(session: AsyncSession, action: str, username: str, user_id: int | None,
                 at: datetime, detail: str = "") -> None:
    """Add a security event (a failed login, a lock-out, a revocation) to the session.

    ``username`` is whom the event concerns (for a failed login: the name tried, known or
    not); ``detail`` says who did it from where.
    """
    session.add(AuditEntry(at=at, user_id=user_id, username=username[:64], action=action,
                           ticket_id=None, detail=detail[:400]))


async def entries_for_ticket(session: AsyncSession, ticket_id: int) -> Sequence[AuditEntry]:
    """Every audit row of one ticket, oldest first."""
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.ticket_id == ticket_id).order_by(AuditEntry.id)
    )
    return rows.all()


async def events(session: AsyncSession, action: str | None = None
                 ) -> Sequence[AuditEntry]:
    """Rows of no ticket (security events, call-draft reads), oldest first; ``action`` only."""
    query = select(AuditEntry).where(AuditEntry.ticket_id.is_(None)).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return (await session.scalars(query)).all()
