"""Login: throttled, audited, the same work for a known and an unknown username."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.accounts.errors import BadCredentials
from tickets.accounts.models import User
from tickets.accounts.passwords import PasswordHasher
from tickets.accounts.throttle import AddressThrottle, check_user, user_failed, user_succeeded
from tickets.accounts.tokens import TokenSigner
from tickets.audit.service import record_event
from tickets.database import commit
from tickets.enums import Role
from tickets.principal import Principal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """One login attempt as it arrived."""

    username: str
    password: str
    address: str  # the client's address as the server saw it
    now: datetime


@dataclass(frozen=True)
class Granted:
    """A successful login: the token, its expiry, and whom it names."""

    token: str
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True)
class _Account:
    """What a login reads of the user row, kept after the session lets its connection go."""

    principal: Principal
    password_hash: str
    active: bool
    generation: int


async def login(session: AsyncSession, hasher: PasswordHasher, addresses: AddressThrottle,
                signer: TokenSigner, attempt: Attempt) -> Granted:
    """A token for valid credentials of an active user; else :class:`BadCredentials`, or
    :class:`TooManyLoginAttempts` while the username or the address is locked out."""
    addresses.check(attempt.address, attempt.now)  # before any work: a flood costs nothing
    await check_user(session, attempt.username, attempt.now)
    account = await _account(session, attempt.username)
    await session.commit()  # no connection is held while scrypt runs
    matches = await hasher.verify(attempt.password,
                                  account.password_hash if account else None)
    if account is None or not account.active or not matches:
        await _failed(session, addresses, attempt, account)
        raise BadCredentials("wrong username or password")
    await user_succeeded(session, addresses.rules, attempt.username, attempt.now)
    await commit(session)
    token, expires = signer.issue(account.principal, attempt.now, account.generation)
    return Granted(token, expires, account.principal)


async def _account(session: AsyncSession, username: str) -> _Account | None:
    user = await session.scalar(select(User).where(User.username == username))
    if user is None:
        return None
    principal = Principal(user.id, user.username, Role(user.role), user.unit_id)
    return _Account(principal, user.password_hash, user.active, user.token_generation)


async def _failed(session: AsyncSession, addresses: AddressThrottle, attempt: Attempt,
                  account: _Account | None) -> None:
    """Count the failure for the username and the address; audit it and any lock-out."""
    reason = ("unknown user" if account is None
              else "disabled user" if not account.active else "wrong password")
    user_id = account.principal.user_id if account else None
    name, now = attempt.username, attempt.now
    log.warning("failed login for %r from %s: %s", name, attempt.address, reason)
    record_event(session, "login-failed", name, user_id, now,
                 f"from {attempt.address}: {reason}")
    user_until = await user_failed(session, addresses.rules, name, now)
    if user_until is not None:
        log.warning("login of %r locked until %s", name, user_until.isoformat())
        record_event(session, "login-locked", name, user_id, now,
                     f"username locked until {user_until.isoformat()} "
                     f"(last failure from {attempt.address})")
    address_until = addresses.failed(attempt.address, now)
    if address_until is not None:
        log.warning("logins from %s locked until %s", attempt.address,
                    address_until.isoformat())
        record_event(session, "login-locked", name, user_id, now,
                     f"address {attempt.address} locked until {address_until.isoformat()}")
    await commit(session)
