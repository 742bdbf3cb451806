"""Login and logout, units and users."""

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status

from tickets.accounts import login as logins
from tickets.accounts import service
from tickets.accounts.schemas import (
    Login,
    PasswordIn,
    TokenOut,
    UnitIn,
    UnitOut,
    UserIn,
    UserOut,
    UserPatch,
)
from tickets.deps import ClockDep, CurrentToken, CurrentUser, RuntimeDep, SessionDep, require_role
from tickets.enums import Role
from tickets.principal import Principal

log = logging.getLogger(__name__)
# Log-in is the one route no token guards; the composition root guards ``router``.
login_router = APIRouter(tags=["accounts"])
router = APIRouter(tags=["accounts"])
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {"description": "too many failed logins (`Retry-After` says how long)"},
    503: {"description": "too many logins being checked at once (`Retry-After`)"}}


@login_router.post("/auth/login", responses=THROTTLED)
async def login(body: Login, request: Request, session: SessionDep,
                runtime: RuntimeDep) -> TokenOut:
    """Exchange a username and password for a bearer token (429/503 with ``Retry-After``)."""
    address = request.client.host if request.client else "unknown"
    attempt = logins.Attempt(body.username, body.password, address, runtime.clock())
    granted = await logins.login(session, runtime.passwords, runtime.logins, runtime.tokens,
                                 attempt)
    user = granted.principal
    return TokenOut(access_token=granted.token, expires_at=granted.expires_at, role=user.role,
                    unit_id=user.unit_id)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(claims: CurrentToken, session: SessionDep, runtime: RuntimeDep) -> Response:
    """Revoke the token this request presents (at once here, within seconds elsewhere)."""
    await service.revoke_token(session, claims, runtime.clock())
    if claims.principal.user_id is not None:
        runtime.active_users.forget(claims.principal.user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/auth/me")
async def me(user: CurrentUser) -> dict[str, object]:
    """Who the token belongs to."""
    return {"user_id": user.user_id, "username": user.username, "role": user.role.value,
            "unit_id": user.unit_id}


@router.post("/units", status_code=status.HTTP_201_CREATED)
async def create_unit(body: UnitIn, session: SessionDep, clock: ClockDep,
                      _admin: Admin) -> UnitOut:
    """Register a handling unit."""
    return UnitOut.model_validate(await service.create_unit(session, body, clock()))


@router.get("/units")
async def list_units(session: SessionDep, _user: CurrentUser) -> list[UnitOut]:
    """Every unit."""
    return [UnitOut.model_validate(unit) for unit in await service.list_units(session)]


@router.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(body: UserIn, session: SessionDep, runtime: RuntimeDep,
                      _admin: Admin) -> UserOut:
    """Create a user with a role (a unit handler with its unit)."""
    user = await service.create_user(session, runtime.passwords, body, runtime.clock())
    return UserOut.model_validate(user)


@router.get("/users")
async def list_users(session: SessionDep, _admin: Admin) -> list[UserOut]:
    """Every user."""
    return [UserOut.model_validate(user) for user in await service.list_users(session)]


@router.patch("/users/{user_id}")
async def update_user(user_id: int, body: UserPatch, session: SessionDep, runtime: RuntimeDep,
                      admin: Admin) -> UserOut:
    """Change a user's display name, role or unit (a new role or unit revokes its tokens)."""
    user = await service.update_user(session, user_id, body, admin, runtime.clock())
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/password")
async def reset_password(user_id: int, body: PasswordIn, session: SessionDep,
                         runtime: RuntimeDep, admin: Admin) -> UserOut:
    """Set a user's password; its tokens stop working and a login lock-out is lifted."""
    user = await service.reset_password(session, runtime.passwords, user_id, body.password,
                                        admin, runtime.clock())
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/revoke-tokens")
async def revoke_tokens(user_id: int, session: SessionDep, runtime: RuntimeDep,
                        admin: Admin) -> UserOut:
    """Revoke every token of a user: each of its devices must log in again."""
    user = await service.revoke_tokens(session, user_id, admin, runtime.clock())
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/disable")
async def disable_user(user_id: int, session: SessionDep, runtime: RuntimeDep,
                       admin: Admin) -> UserOut:
    """Disable a user: no login, and its tokens stop working (for good)."""
    user = await service.set_active(session, user_id, False, admin, runtime.clock())
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/enable")
async def enable_user(user_id: int, session: SessionDep, runtime: RuntimeDep,
                      admin: Admin) -> UserOut:
    """Enable a disabled user again (it logs in anew)."""
    user = await service.set_active(session, user_id, True, admin, runtime.clock())
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)
