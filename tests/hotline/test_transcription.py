"""Transcription wiring: a missing or broken model never stops the platform."""

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from hotline.bus import EventBus
from hotline.db import create_schema, make_engine
from hotline.settings import Settings, load_settings
from hotline.transcription import load_pool, transcription_running
from kernel.clock import now
from telephony.deps import TelephonyRuntime
from tests.asr.audiosocket.client import Client, tone
from tests.waiting import wait_for
from tickets.drafting.live import LiveDrafting


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
