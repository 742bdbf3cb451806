"""The scheduler's two tables: the lease row of the node that runs it, and APScheduler's jobs."""

from datetime import datetime

from sqlalchemy import Column, Float, LargeBinary, MetaData, String, Table, Unicode
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tickets.database import NAMING_CONVENTION, AwareDateTime

JOBS_TABLE = "apscheduler_jobs"


class Base(DeclarativeBase):
    """Base of the scheduler's tables (migrated with the rest, see ``hotline.schema``)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: AwareDateTime()}


class SchedulerLease(Base):
    """Who runs the scheduler: one row per lease, taken over only once it has expired."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128), default="")
    heartbeat: Mapped[datetime]
    expires_at: Mapped[datetime]


# APScheduler 3's SQLAlchemyJobStore table, column for column, so the migrations own it
# (the job store's own create(checkfirst) then finds it there).
apscheduler_jobs = Table(
    JOBS_TABLE, Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
