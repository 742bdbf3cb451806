"""Transcription wiring: a missing or broken model never stops the platform."""

from pathlib import Path

import pytest

from hotline.settings import Settings
from hotline.transcription import load_pool


async def test_a_broken_model_leaves_the_platform_without_transcription(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    broken = tmp_path / "asr-models" / "broken"
    broken.mkdir(parents=True)
    (broken / "README").write_text("not a model")
    settings = Settings(data_dir=tmp_path, asr_model_path=broken)
    assert await load_pool(settings) is None
    assert "calls go on without transcription" in caplog.text
