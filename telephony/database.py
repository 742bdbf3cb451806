"""The declarative base of telephony's tables (telephony imports nothing of ours)."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


class UtcDateTime(TypeDecorator[datetime]):
    """Stored in UTC, read back aware on Beijing's clock (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("telephony timestamps must be aware")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(BEIJING)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    """Base of telephony's tables; Alembic migrates it with the ticket domain's."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })
    type_annotation_map = {datetime: UtcDateTime()}
