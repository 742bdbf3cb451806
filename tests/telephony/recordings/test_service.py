"""Recordings are served from the spool with an audit row, and purged after retention."""

import wave
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.recordings.models import RecordingAccess
from telephony.recordings.service import RecordingNotFound, find, purge_expired
from tests.conftest import Api

NOW = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


def record(root: Path, day: str, linkedid: str) -> Path:
    """A second of silence where MixMonitor would have written the call."""
    path = root / day / f"{linkedid}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000)
    return path


async def accesses(api: Api) -> list[tuple[str, str, str]]:
    async with api.runtime.sessionmaker() as session:
        rows = await session.scalars(select(RecordingAccess).order_by(RecordingAccess.id))
        return [(row.linkedid, row.who, row.action) for row in rows]


@pytest.fixture
def spool(api: Api, tmp_path: Path) -> Path:
    api.app.state.recordings_root = tmp_path
    return tmp_path


async def test_a_recording_is_streamed_and_the_listen_audited(api: Api, spool: Path) -> None:
    path = record(spool, "20260302", "1772416800.42")
    response = await api.call("GET", "/telephony/recordings/1772416800.42", "supervisor")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    assert response.content == path.read_bytes()
    download = await api.call("GET", "/telephony/recordings/1772416800.42?download=true",
                              "supervisor")
    assert download.headers["content-disposition"].startswith("attachment")
    assert await accesses(api) == [("1772416800.42", "supervisor", "listen"),
                                   ("1772416800.42", "supervisor", "download")]


@pytest.mark.parametrize("linkedid", ["1772416800.43", "..", "..%2F..%2Fetc%2Fpasswd", "x"])
async def test_a_missing_recording_is_404_and_not_audited(api: Api, spool: Path,
                                                          linkedid: str) -> None:
    record(spool, "20260302", "1772416800.42")
    response = await api.call("GET", f"/telephony/recordings/{linkedid}", "supervisor")
    assert response.status_code == 404
    if response.headers["content-type"] == "application/json":
        assert response.json()["error_id"] in {"recording-not-found", "not-found"}
    assert await accesses(api) == []


async def test_agents_cannot_listen(api: Api, spool: Path) -> None:
    record(spool, "20260302", "1772416800.42")
    response = await api.call("GET", "/telephony/recordings/1772416800.42", "agent")
    assert response.status_code == 403
    assert await accesses(api) == []


def test_find_refuses_names_that_leave_the_spool(tmp_path: Path) -> None:
    record(tmp_path, "20260302", "1772416800.42")
    assert find(tmp_path, "1772416800.42").parent.name == "20260302"
    with pytest.raises(RecordingNotFound):
        find(tmp_path, "../20260302/1772416800.42")
    with pytest.raises(RecordingNotFound):
        find(tmp_path / "missing", "1772416800.42")


async def test_purge_deletes_only_expired_recordings_and_audits_them(
    session: AsyncSession, tmp_path: Path
) -> None:
    old = record(tmp_path, "20250801", "1754000000.1")  # 213 days before NOW
    edge = record(tmp_path, "20250903", "1756857600.2")  # exactly 180 days: kept
    new = record(tmp_path, "20260301", "1772330400.3")
    (tmp_path / "20250101").mkdir()  # an empty old folder goes too
    (tmp_path / "notes").mkdir()  # anything not a day folder is left alone
    deleted = await purge_expired(session, tmp_path, NOW, retention_days=180)
    assert deleted == ["1754000000.1"]
    assert not old.exists() and not old.parent.exists()
    assert edge.exists() and new.exists() and (tmp_path / "notes").exists()
    assert not (tmp_path / "20250101").exists()
    rows = (await session.scalars(select(RecordingAccess))).all()
    assert [(r.linkedid, r.who, r.action, r.at) for r in rows] == [
        ("1754000000.1", "system", "delete", NOW)]
    assert await purge_expired(session, tmp_path, NOW, retention_days=180) == []
