"""GET /calls/{linkedid}/draft: the stored transcript, its draft and suggestions, audited."""

from sqlalchemy import select

from asr.events import Segment
from asr.store import TranscriptStore
from tests.conftest import Api
from tickets.audit.models import AuditEntry


async def store(api: Api, *said: tuple[str, str, float]) -> None:
    writer = TranscriptStore(api.runtime.sessionmaker)
    for speaker, text, start in said:
        await writer.write(Segment("1700000000.1", speaker, text, start, start + 2, True))


async def test_a_screen_that_opened_late_gets_the_draft_from_the_stored_transcript(
    api: Api,
) -> None:
    await store(api, ("agent", "您好 一 二 三 四 五 请 讲", 0.0),
                ("caller", "我 家 楼下 和平 路 的 路灯 坏 了 好 几 天 了", 3.0),
                ("caller", "电话 是 一 三 八 零 零 一 三 八 零 零 零", 9.0))
    response = await api.call("GET", "/calls/1700000000.1/draft", who="agent")
    assert response.status_code == 200, response.text
    body = response.json()
    assert [t["speaker"] for t in body["transcript"]] == ["agent", "caller"]
    assert body["draft"]["phone"] == "13800138000"
    assert set(body["suggestions"]) == {"units", "similar_open_tickets", "knowledge"}
    async with api.runtime.sessionmaker() as session:
        [entry] = (await session.scalars(
            select(AuditEntry).where(AuditEntry.action == "read-call-draft"))).all()
    assert (entry.username, entry.detail) == ("agent", "1700000000.1")


async def test_no_transcript_is_404_and_a_unit_handler_may_not_read_drafts(api: Api) -> None:
    missing = await api.call("GET", "/calls/1.2/draft", who="agent")
    assert missing.status_code == 404 and missing.json()["error_id"] == "transcript-not-found"
    await store(api, ("caller", "路灯 坏 了", 0.0))
    forbidden = await api.call("GET", "/calls/1700000000.1/draft", who="water")
    assert forbidden.status_code == 403
