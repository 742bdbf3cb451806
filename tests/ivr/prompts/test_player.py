"""Finding prompts (override first), and speaking a text at call time into the cache."""

import wave
from pathlib import Path, PurePosixPath

import pytest

from ivr.prompts.player import BUILT, CACHE, OVERRIDE, PromptDir, Prompts


def folder(tmp_path: Path) -> PromptDir:
    for name in (OVERRIDE, BUILT):
        (tmp_path / name).mkdir()
    return PromptDir(tmp_path, PurePosixPath("/var/lib/hotline-instances/x/prompts"))


def test_the_override_recording_wins(tmp_path: Path) -> None:
    root = folder(tmp_path)
    prompts = Prompts.in_instance(root, speech=False)
    (tmp_path / BUILT / "welcome.wav16").write_bytes(b"")
    assert prompts.find("welcome") == root.asterisk / BUILT / "welcome"
    (tmp_path / OVERRIDE / "welcome.gsm").write_bytes(b"")  # a deployment's recording
    assert prompts.find("welcome") == root.asterisk / OVERRIDE / "welcome"
    assert prompts.find("menu-main") is None


def test_files_asterisk_cannot_play_do_not_count(tmp_path: Path) -> None:
    prompts = Prompts.in_instance(folder(tmp_path), speech=False)
    (tmp_path / OVERRIDE / "welcome.mp3").write_bytes(b"")
    (tmp_path / OVERRIDE / "welcome.wav16").mkdir()
    assert prompts.find("welcome") is None


def test_labels_map_to_their_prompts(tmp_path: Path) -> None:
    prompts = Prompts.in_instance(folder(tmp_path), speech=False)
    assert prompts.name_of("不满意") == "scale-unsatisfied"
    assert prompts.name_of(" 办理中 ") == "state-handling"
    assert prompts.name_of("别的") is None
    assert prompts.digits("20a3") == ["digit-2", "digit-0", "digit-3"]


async def test_no_speech_yields_nothing(tmp_path: Path) -> None:
    async with Prompts.in_instance(folder(tmp_path), speech=False).spoken("路灯不亮") as clip:
        assert clip is None


@pytest.mark.usefixtures("speech_tools")
async def test_a_summary_is_spoken_into_the_cache_and_deleted_after(tmp_path: Path) -> None:
    root = folder(tmp_path)
    prompts = Prompts.in_instance(root)
    assert prompts.cache == root.child(CACHE)
    async with prompts.spoken("小区路灯不亮") as clip, prompts.spoken("小区路灯不亮") as same:
        assert clip is not None and same is not None and clip != same
        assert clip.parent == root.asterisk / CACHE
        host = tmp_path / CACHE / f"{clip.name}.wav16"
        with wave.open(str(host)) as audio:
            assert audio.getframerate() == 16000
    assert list((tmp_path / CACHE).iterdir()) == []  # a summary may be personal: gone


async def test_a_failing_speech_tool_yields_nothing(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = folder(tmp_path)
    prompts = Prompts([root.child(BUILT)], cache=root.child(CACHE), voice=None)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no espeak-ng, no sox
    async with prompts.spoken("路灯") as clip:
        assert clip is None
