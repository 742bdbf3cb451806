"""Find, serve and purge MixMonitor recordings, auditing each access.

The dialplan records every call to ``spool/monitor/<YYYYMMDD>/<linkedid>.wav`` inside the
Asterisk instance (``Layout.recordings``); on the host that is ``recordings_dir(instance)``.
"""

import logging
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from telephony.errors import TelephonyError
from telephony.pbx.process import Instance
from telephony.recordings.models import RecordingAccess, RecordingAction

log = logging.getLogger(__name__)

# Asterisk's linkedid is "<epoch>.<sequence>", optionally prefixed with the system name;
# anything else could walk out of the spool directory.
LINKEDID = re.compile(r"^[A-Za-z0-9_-]{0,64}?[0-9]+\.[0-9]+$")
DAY = re.compile(r"^[0-9]{8}$")
SYSTEM = "system"


class RecordingNotFound(TelephonyError):
    status = 404
    error_id = "recording-not-found"


def recordings_dir(instance: Instance) -> Path:
    """Where the instance's MixMonitor files are, as the host sees them."""
    return instance.run_dir / "spool" / "monitor"


def find(root: Path, linkedid: str) -> Path:
    """The recording of call ``linkedid``; refused when it is not there."""
    if not LINKEDID.match(linkedid):
        raise RecordingNotFound(f"no recording of call {linkedid!r}", linkedid=linkedid)
    for day in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        path = day / f"{linkedid}.wav"
        if DAY.match(day.name) and path.is_file():
            return path
    raise RecordingNotFound(f"no recording of call {linkedid}", linkedid=linkedid)


async def audit(session: AsyncSession, linkedid: str, who: str, action: RecordingAction,
                at: datetime) -> None:
    """Record one access (committed before the file is served)."""
    session.add(RecordingAccess(linkedid=linkedid, who=who, action=action.value, at=at))
    await session.commit()


async def open_for(session: AsyncSession, root: Path, linkedid: str, who: str,
                   action: RecordingAction, at: datetime) -> Path:
    """The recording's path for ``who`` to listen to or download, audited."""
    path = find(root, linkedid)
    await audit(session, linkedid, who, action, at)
    log.info("recording %s: %s by %s", linkedid, action.value, who)
    return path


def _day_of(folder: Path) -> date | None:
    """The recording day a spool folder holds, or None for anything else."""
    if not DAY.match(folder.name):
        return None
    try:
        return datetime.strptime(folder.name, "%Y%m%d").date()
    except ValueError:
        return None


def expired_days(root: Path, now: datetime, retention_days: int) -> list[Path]:
    """Day folders entirely older than the retention period."""
    cutoff = (now - timedelta(days=retention_days)).date()
    days = [(d, _day_of(d)) for d in root.iterdir() if d.is_dir()] if root.is_dir() else []
    return sorted(folder for folder, day in days if day is not None and day < cutoff)


async def purge_expired(session: AsyncSession, root: Path, now: datetime,
                        retention_days: int) -> list[str]:
    """Delete recordings past retention, auditing each as ``system``; their linkedids."""
    deleted: list[str] = []
    for folder in expired_days(root, now, retention_days):
        for path in sorted(folder.glob("*.wav")):
            path.unlink(missing_ok=True)
            session.add(RecordingAccess(linkedid=path.stem, who=SYSTEM,
                                        action=RecordingAction.DELETE.value, at=now))
            deleted.append(path.stem)
        await session.commit()  # one day at a time: a crash loses no audit of done deletions
        if not any(folder.iterdir()):
            folder.rmdir()
    log.info("purged %d recordings older than %d days", len(deleted), retention_days)
    return deleted
