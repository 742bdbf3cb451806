"""FastAPI dependencies shared by the ticket domain's routers.

The composition root authenticates every request (``hotline/auth.py``); these read who asks
and decide what their role may do.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from tickets.accounts.tokens import TokenClaims
from tickets.calendar.workdays import WorkingCalendar
from tickets.enums import Role
from tickets.errors import Forbidden, Unauthenticated
from tickets.policy.schema import Policy
from tickets.principal import Principal
from tickets.runtime import Runtime


async def get_runtime(request: HTTPConnection) -> Runtime:
    """The runtime the composition root put on the app."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    """One session per request; services commit what they change."""
    async with runtime.sessionmaker() as session:
        yield session


async def get_policy(runtime: RuntimeDep) -> Policy:
    return runtime.policy


async def get_calendar(runtime: RuntimeDep) -> WorkingCalendar:
    return runtime.calendar


async def get_clock(runtime: RuntimeDep) -> Callable[[], datetime]:
    return runtime.clock


async def current_token(request: HTTPConnection) -> TokenClaims:
    """The claims of the request's bearer token, as the composition root verified them."""
    claims = getattr(request.state, "token", None)
    if not isinstance(claims, TokenClaims):
        raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
    return claims


CurrentToken = Annotated[TokenClaims, Depends(current_token)]


async def current_principal(request: HTTPConnection) -> Principal:
    """The authenticated user (the composition root checks the token of every route)."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
    return principal


SessionDep = Annotated[AsyncSession, Depends(get_session)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
CalendarDep = Annotated[WorkingCalendar, Depends(get_calendar)]
ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]
CurrentUser = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only ``roles`` (administrators always)."""

    async def check(user: CurrentUser) -> Principal:  # async: no trip to the threadpool
        if user.role is not Role.ADMIN and user.role not in roles:
            raise Forbidden(
                f"this needs one of the roles {', '.join(r.value for r in roles)}",
                role=user.role.value, needed=[r.value for r in roles],
            )
        return user

    return check
