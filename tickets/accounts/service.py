"""Units, users and login."""

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.accounts.errors import (
    BadCredentials,
    UnitExists,
    UnitRequired,
    UserExists,
    UserNotFound,
)
from tickets.accounts.models import Unit, User
from tickets.accounts.passwords import hash_password, verify_password
from tickets.accounts.schemas import UnitIn, UserIn
from tickets.accounts.tokens import TokenSigner
from tickets.database import commit
from tickets.enums import Role
from tickets.principal import Principal
from tickets.workflow.errors import UnitNotFound

log = logging.getLogger(__name__)


async def create_unit(session: AsyncSession, data: UnitIn, now: datetime) -> Unit:
    """A new handling unit; its code is unique."""
    if await session.scalar(select(Unit.id).where(Unit.code == data.code)) is not None:
        raise UnitExists(f"a unit with code {data.code} exists", code=data.code)
    unit = Unit(**data.model_dump(), created_at=now)
    session.add(unit)
    await commit(session)
    return unit


async def list_units(session: AsyncSession) -> Sequence[Unit]:
    """Every unit, by code."""
    return (await session.scalars(select(Unit).order_by(Unit.code))).all()


async def create_user(session: AsyncSession, data: UserIn, now: datetime) -> User:
    """A new user; a unit handler must belong to a unit."""
    if data.role is Role.UNIT_HANDLER and data.unit_id is None:
        raise UnitRequired("a unit handler needs a unit_id", role=data.role.value)
    if data.unit_id is not None and await session.get(Unit, data.unit_id) is None:
        raise UnitNotFound(f"no unit {data.unit_id}", unit_id=data.unit_id)
    if await session.scalar(select(User.id).where(User.username == data.username)):
        raise UserExists(f"user {data.username} exists", username=data.username)
    user = User(
        username=data.username, display_name=data.display_name, role=data.role.value,
        unit_id=data.unit_id, password_hash=hash_password(data.password), created_at=now,
    )
    session.add(user)
    await commit(session)
    log.info("user %s created with role %s", user.username, user.role)
    return user


async def list_users(session: AsyncSession) -> Sequence[User]:
    """Every user, by username."""
    return (await session.scalars(select(User).order_by(User.username))).all()


async def set_active(session: AsyncSession, user_id: int, active: bool) -> User:
    """Enable or disable a user."""
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"no user {user_id}", user_id=user_id)
    user.active = active
    await commit(session)
    return user


async def login(
    session: AsyncSession, signer: TokenSigner, username: str, password: str, now: datetime
) -> tuple[str, datetime, User]:
    """A token for valid credentials of an active user, or :class:`BadCredentials`."""
    user = await session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(password, user.password_hash):
        log.warning("failed login for %r", username)
        raise BadCredentials("wrong username or password")
    principal = Principal(user.id, user.username, Role(user.role), user.unit_id)
    token, expires = signer.issue(principal, now)
    return token, expires, user


async def has_admin(session: AsyncSession) -> bool:
    """Whether any active administrator exists (first-run bootstrap checks this)."""
    found = await session.scalar(
        select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True)).limit(1))
    return found is not None
