"""Who is acting: the authenticated user as the domain sees it."""

from dataclasses import dataclass

from tickets.enums import Role


@dataclass(frozen=True)
class Principal:
    """An authenticated user, or the platform itself (``user_id`` None)."""

    user_id: int | None
    username: str
    role: Role
    unit_id: int | None = None

    @property
    def is_unit_handler(self) -> bool:
        return self.role is Role.UNIT_HANDLER


SYSTEM = Principal(user_id=None, username="system", role=Role.ADMIN)
