"""The scheduler's two tables: the lease row of the node that runs it, and APScheduler's jobs."""

from datetime import datetime

from sqlalchemy import Column, Float, LargeBinary, String, Table, Unicode
from sqlalchemy.orm import Mapped, mapped_column

from kernel.database import Base as KernelBase
from kernel.database import package_metadata

JOBS_TABLE = "apscheduler_jobs"


class Base(KernelBase):
    """Base of the scheduler's tables (migrated with the rest, see ``hotline.schema``)."""

    __abstract__ = True
    metadata = package_metadata()


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
