"""Transcription wiring: a missing or broken model never stops the platform."""

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from asr.events import Alternative, RecognisedWord, Segment
from hotline.bus import EventBus, PlatformEvent
from hotline.db import create_schema, make_engine
from hotline.settings import Settings, load_settings
from hotline.transcription import Heard, load_pool, transcription_running
from kernel.clock import now
from telephony.deps import TelephonyRuntime
from tests.asr.audiosocket.client import Client, tone
from tests.waiting import wait_for
from tickets.drafting.draft import Emergency
from tickets.drafting.events import DraftUpdated
from tickets.drafting.live import LiveDrafting, LiveDrafts


async def test_a_broken_model_leaves_the_platform_without_transcription(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    broken = tmp_path / "asr-models" / "broken"
    broken.mkdir(parents=True)
    (broken / "README").write_text("not a model")
    settings = Settings(data_dir=tmp_path, asr_model_path=broken)
    assert await load_pool(settings) is None
    assert "calls go on without transcription" in caplog.text


async def test_the_platforms_audiosocket_server_closes_quiet_streams_and_stops_at_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("HOTLINE_AUDIOSOCKET_IDLE_SECONDS", "0.5")
    monkeypatch.setenv("HOTLINE_AUDIOSOCKET_MAX_STREAMS", "1")
    settings = load_settings(data_dir=tmp_path, audiosocket_port=0)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'asr.db'}")
    await create_schema(engine)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    telephony = TelephonyRuntime(sessionmaker=sessions)
    try:
        async with transcription_running(settings, sessions, telephony,
                                         LiveDrafting(sessions, now), EventBus()) as running:
            first = await Client.connect(running.server.port)
            await first.audio(tone(0.2))
            await wait_for(lambda: running.server.streams(), "the first stream served")
            second = await Client.connect(running.server.port)
            async with asyncio.timeout(10):  # an open connection would never answer
                assert await second.closed_by_server()  # past the cap of one
                assert "AudioSocket server full (1 streams)" in caplog.text
                assert await first.closed_by_server()  # quiet for half a second
            assert "idle: no frame for 0.5s" in caplog.text
    finally:
        await engine.dispose()


async def test_the_recognisers_readings_reach_the_draft_and_a_fire_in_one_is_alerted(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'drafts.db'}")
    sessions_maker = async_sessionmaker(engine, expire_on_commit=False)
    published: list[PlatformEvent] = []

    async def publish(event: PlatformEvent) -> None:
        published.append(event)

    live = LiveDrafts(LiveDrafting(sessions_maker, now), publish)
    live.knows_caller("100.1", "13912345678")
    heard = Heard(live)
    await heard(Segment("100.1", "caller", "喂 我 家 楼道 里 找 货 了", 0.0, 2.0, True,
                        (RecognisedWord("找", 0.31, 1.2, 1.4),
                         RecognisedWord("货", 0.35, 1.4, 1.6)),
                        (Alternative("喂 我 家 楼道 里 找 货 了", 20.0),
                         Alternative("喂 我 家 楼道 里 着火 了", 19.5))))
    [draft] = [e for e in published if isinstance(e, DraftUpdated)]
    assert draft.draft.emergency is Emergency.FIRE  # missing a fire costs more than a cancel
    assert draft.draft.phone == "13912345678"  # the caller ID, as nobody said a number
    await engine.dispose()
