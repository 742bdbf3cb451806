"""Building prompts with the real espeak-ng and sox: 16 kHz wav16, idempotent, stale removed."""

import json
import wave
from pathlib import Path

import pytest

from ivr.errors import PromptBuildFailed
from ivr.prompts.build import MANIFEST, build, prompt_file

pytestmark = pytest.mark.usefixtures("speech_tools")
SMALL = {"welcome": "您好", "press-1": "请按一"}


async def test_prompts_are_16khz_mono_wav16(tmp_path: Path) -> None:
    report = await build(tmp_path, SMALL, {"tone": (1000, 0.2)})
    assert sorted(report.built) == ["press-1", "tone", "welcome"] and not report.failed
    for name in ("welcome", "press-1", "tone"):
        with wave.open(str(prompt_file(tmp_path, name))) as audio:
            assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (
                16000, 1, 2)
            assert audio.getnframes() > 1000
    # Not for others: Asterisk's group reads the copies in its instance (telephony/pbx/prompts)
    assert prompt_file(tmp_path, "welcome").stat().st_mode & 0o777 == 0o640


async def test_a_second_build_skips_unchanged_text(tmp_path: Path) -> None:
    await build(tmp_path, SMALL, {})
    before = prompt_file(tmp_path, "welcome").stat().st_mtime_ns
    seen: list[tuple[str, str]] = []
    report = await build(tmp_path, {**SMALL, "press-1": "请按二"}, {},
                         progress=lambda name, what: seen.append((name, what)))
    assert report.built == ("press-1",) and report.skipped == ("welcome",)
    assert sorted(seen) == [("press-1", "built"), ("welcome", "skipped")]
    assert prompt_file(tmp_path, "welcome").stat().st_mtime_ns == before
    assert (await build(tmp_path, SMALL, {}, force=True)).built == ("welcome", "press-1")


async def test_a_deleted_file_is_built_again(tmp_path: Path) -> None:
    await build(tmp_path, SMALL, {})
    prompt_file(tmp_path, "welcome").unlink()
    assert (await build(tmp_path, SMALL, {})).built == ("welcome",)


async def test_a_prompt_gone_from_the_catalogue_is_removed_and_nothing_else(
        tmp_path: Path) -> None:
    await build(tmp_path, SMALL, {})
    (tmp_path / "recording.wav").write_bytes(b"not ours")
    report = await build(tmp_path, {"welcome": "您好"}, {})
    assert report.removed == ("press-1",)
    assert not prompt_file(tmp_path, "press-1").exists()
    assert (tmp_path / "recording.wav").exists()
    assert set(json.loads((tmp_path / MANIFEST).read_text())) == {"welcome"}


async def test_unsafe_names_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(PromptBuildFailed):
        await build(tmp_path / "out", {"../evil": "坏"}, {})
    assert not (tmp_path / "out").exists()


async def test_a_text_starting_with_a_dash_is_spoken_not_an_option(tmp_path: Path) -> None:
    report = await build(tmp_path, {"dash": "-w /tmp/x 你好"}, {})
    assert report.built == ("dash",)
