"""Every table the platform has, across the domain packages, for Alembic and the tests."""

from sqlalchemy import MetaData, Table

import telephony.callbacks.models
import telephony.calls.models
import telephony.recordings.models
import telephony.routing.models
import telephony.seats.models
import telephony.targets.models  # noqa: F401
from asr.models import Base as AsrBase
from hotline.scheduler.models import Base as SchedulerBase
from linkage.models import Base as LinkageBase
from telephony.database import Base as TelephonyBase
from tickets.all_models import Base as TicketsBase

METADATA: tuple[MetaData, ...] = (TicketsBase.metadata, TelephonyBase.metadata, AsrBase.metadata,
                                  LinkageBase.metadata, SchedulerBase.metadata)


def all_tables() -> list[Table]:
    """Every table, parents before children."""
    return [table for metadata in METADATA for table in metadata.sorted_tables]
