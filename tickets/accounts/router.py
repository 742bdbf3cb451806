"""Login, units and users."""

from fastapi import APIRouter, Depends, status

from tickets.accounts import service
from tickets.accounts.schemas import Login, TokenOut, UnitIn, UnitOut, UserIn, UserOut
from tickets.deps import ClockDep, CurrentUser, RuntimeDep, SessionDep, require_role
from tickets.enums import Role

router = APIRouter(tags=["accounts"])
ADMIN_ONLY = [Depends(require_role(Role.ADMIN))]


@router.post("/auth/login")
async def login(body: Login, session: SessionDep, runtime: RuntimeDep) -> TokenOut:
    """Exchange a username and password for a bearer token."""
    token, expires, user = await service.login(
        session, runtime.tokens, body.username, body.password, runtime.clock())
    return TokenOut(access_token=token, expires_at=expires, role=Role(user.role),
                    unit_id=user.unit_id)


@router.get("/auth/me")
async def me(user: CurrentUser) -> dict[str, object]:
    """Who the token belongs to."""
    return {"user_id": user.user_id, "username": user.username, "role": user.role.value,
            "unit_id": user.unit_id}


@router.post("/units", status_code=status.HTTP_201_CREATED, dependencies=ADMIN_ONLY)
async def create_unit(body: UnitIn, session: SessionDep, clock: ClockDep) -> UnitOut:
    """Register a handling unit."""
    return UnitOut.model_validate(await service.create_unit(session, body, clock()))


@router.get("/units")
async def list_units(session: SessionDep, _user: CurrentUser) -> list[UnitOut]:
    """Every unit."""
    return [UnitOut.model_validate(unit) for unit in await service.list_units(session)]


@router.post("/users", status_code=status.HTTP_201_CREATED, dependencies=ADMIN_ONLY)
async def create_user(body: UserIn, session: SessionDep, clock: ClockDep) -> UserOut:
    """Create a user with a role (a unit handler with its unit)."""
    return UserOut.model_validate(await service.create_user(session, body, clock()))


@router.post("/users/{user_id}/disable", dependencies=ADMIN_ONLY)
async def disable_user(user_id: int, session: SessionDep, runtime: RuntimeDep) -> UserOut:
    """Disable a user: no login, and issued tokens stop working within seconds."""
    user = await service.set_active(session, user_id, False)
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/enable", dependencies=ADMIN_ONLY)
async def enable_user(user_id: int, session: SessionDep, runtime: RuntimeDep) -> UserOut:
    """Enable a disabled user again."""
    user = await service.set_active(session, user_id, True)
    runtime.active_users.forget(user_id)
    return UserOut.model_validate(user)


@router.get("/users", dependencies=ADMIN_ONLY)
async def list_users(session: SessionDep) -> list[UserOut]:
    """Every user."""
    return [UserOut.model_validate(user) for user in await service.list_users(session)]
