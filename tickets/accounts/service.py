"""Units and users: creation, changes, disabling, password resets, token revocation."""

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.accounts.errors import (
    LastAdmin,
    UnitExists,
    UnitRequired,
    UserExists,
    UserNotFound,
)
from tickets.accounts.models import LoginThrottle, RevokedToken, Unit, User
from tickets.accounts.passwords import PasswordHasher
from tickets.accounts.schemas import UnitIn, UserIn, UserPatch
from tickets.accounts.tokens import TokenClaims
from tickets.audit.service import record_event
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


async def create_user(session: AsyncSession, hasher: PasswordHasher, data: UserIn,
                      now: datetime) -> User:
    """A new user; a unit handler must belong to a unit."""
    await _check_unit(session, data.role, data.unit_id)
    if await session.scalar(select(User.id).where(User.username == data.username)):
        raise UserExists(f"user {data.username} exists", username=data.username)
    user = User(
        username=data.username, display_name=data.display_name, role=data.role.value,
        unit_id=data.unit_id, password_hash=await hasher.hash(data.password), created_at=now,
    )
    session.add(user)
    await commit(session)
    log.info("user %s created with role %s", user.username, user.role)
    return user


async def list_users(session: AsyncSession) -> Sequence[User]:
    """Every user, by username."""
    return (await session.scalars(select(User).order_by(User.username))).all()


async def get_user(session: AsyncSession, user_id: int) -> User:
    """The user ``user_id``, or :class:`UserNotFound`."""
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound(f"no user {user_id}", user_id=user_id)
    return user


async def user_named(session: AsyncSession, username: str) -> User:
    """The user called ``username``, or :class:`UserNotFound`."""
    user = await session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UserNotFound(f"no user {username}", username=username)
    return user


async def update_user(session: AsyncSession, user_id: int, patch: UserPatch, actor: Principal,
                      now: datetime) -> User:
    """Change a user's display name, role or unit; a new role or unit revokes its tokens
    (a token names the role and unit it was issued for)."""
    user = await get_user(session, user_id)
    fields = patch.model_dump(exclude_unset=True)
    role = Role(fields.get("role", user.role))
    unit_id = fields.get("unit_id", user.unit_id)
    await _check_unit(session, role, unit_id)
    if role is not Role.ADMIN:
        await _keep_an_admin(session, user)
    if "display_name" in fields:
        user.display_name = fields["display_name"]
    if (role.value, unit_id) != (user.role, user.unit_id):
        user.role, user.unit_id = role.value, unit_id
        _revoke_all(session, user, actor, now, f"now role {role.value}, unit {unit_id}")
    await commit(session)
    return user


async def set_active(session: AsyncSession, user_id: int, active: bool, actor: Principal,
                     now: datetime) -> User:
    """Enable or disable a user; disabling revokes its tokens for good (enabling it again
    does not bring them back)."""
    user = await get_user(session, user_id)
    if not active and user.active:
        await _keep_an_admin(session, user)
        _revoke_all(session, user, actor, now, "disabled")
    user.active = active
    await commit(session)
    return user


async def reset_password(session: AsyncSession, hasher: PasswordHasher, user_id: int,
                         password: str, actor: Principal, now: datetime) -> User:
    """Set a new password, revoke the user's tokens and lift a login lock-out."""
    user = await get_user(session, user_id)
    await session.commit()  # no connection is held while scrypt runs
    user.password_hash = await hasher.hash(password)
    _revoke_all(session, user, actor, now, "password reset")
    await session.execute(delete(LoginThrottle).where(LoginThrottle.username == user.username))
    await commit(session)
    return user


async def revoke_tokens(session: AsyncSession, user_id: int, actor: Principal,
                        now: datetime) -> User:
    """Revoke every token the user holds (each of its devices logs in again)."""
    user = await get_user(session, user_id)
    _revoke_all(session, user, actor, now, "revoked by an administrator")
    await commit(session)
    return user


async def revoke_token(session: AsyncSession, claims: TokenClaims, now: datetime) -> None:
    """Give up one token (a logout); rows of tokens past their expiry go at the same time."""
    assert claims.principal.user_id is not None  # signed tokens always name a user
    await session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))
    session.add(RevokedToken(user_id=claims.principal.user_id, token_id=claims.token_id,
                             expires_at=claims.expires_at, revoked_at=now))
    await commit(session)
    log.info("user %s logged out", claims.principal.username)


async def has_admin(session: AsyncSession) -> bool:
    """Whether any active administrator exists (first-run bootstrap checks this)."""
    found = await session.scalar(
        select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True)).limit(1))
    return found is not None


def _revoke_all(session: AsyncSession, user: User, actor: Principal, now: datetime,
                why: str) -> None:
    user.token_generation += 1
    record_event(session, "tokens-revoked", user.username, user.id, now,
                 f"by {actor.username}: {why}")
    log.info("tokens of user %s revoked by %s: %s", user.username, actor.username, why)


async def _check_unit(session: AsyncSession, role: Role, unit_id: int | None) -> None:
    if role is Role.UNIT_HANDLER and unit_id is None:
        raise UnitRequired("a unit handler needs a unit_id", role=role.value)
    if unit_id is not None and await session.get(Unit, unit_id) is None:
        raise UnitNotFound(f"no unit {unit_id}", unit_id=unit_id)


async def _keep_an_admin(session: AsyncSession, user: User) -> None:
    """Refuse to demote or disable the last active administrator: no one could undo it."""
    if user.role != Role.ADMIN.value or not user.active:
        return
    others = await session.scalar(select(User.id).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id).limit(1))
    if others is None:
        raise LastAdmin("this is the last active administrator", user_id=user.id)
