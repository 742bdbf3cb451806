"""The declarative base and the aware timestamp every package's tables use.

Each package keeps tables of its own on a metadata of its own::

    class Base(kernel.database.Base):
        __abstract__ = True
        metadata = package_metadata()

so Alembic sees every package's tables (``hotline/schema.py``) and none reaches into another's.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from kernel.clock import BEIJING, utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AwareDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC, read back aware on Beijing's clock (SQLite forgets zones).

    Every time the API shows is then ``+08:00``, whichever database it came from.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return utc(value)  # a date with no UTC form is refused (DateOutOfRange), not a 500

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(BEIJING)  # type: ignore[no-any-return]


def package_metadata() -> MetaData:
    """A package's own metadata, with the constraint names every migration expects."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """The kernel's declarative base: ``datetime`` columns are :class:`AwareDateTime`."""

    metadata = package_metadata()
    type_annotation_map = {datetime: AwareDateTime()}
