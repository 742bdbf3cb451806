"""Prompts copied into an Asterisk instance: mirrored, readable by Asterisk, atomic."""

import os
from pathlib import Path

from hotline.settings import Settings
from ivr.prompts.player import BUILT, OVERRIDE
from telephony.pbx.prompts import install_prompts


def test_each_source_is_mirrored_into_its_folder(tmp_path: Path) -> None:
    built, override, target = tmp_path / "built", tmp_path / "override", tmp_path / "inst"
    built.mkdir()
    (built / "welcome.wav16").write_bytes(b"spoken")
    (built / "manifest.json").write_text("{}")  # not audio: stays home
    (built / ".half.wav16.tmp").write_bytes(b"")
    copied = install_prompts(target, [(OVERRIDE, override), (BUILT, built)])  # no override yet
    assert copied == 1
    assert sorted(p.name for p in (target / BUILT).iterdir()) == ["welcome.wav16"]
    assert list((target / OVERRIDE).iterdir()) == []
    assert (target / BUILT / "welcome.wav16").stat().st_mode & 0o777 == 0o644
    assert (target / BUILT).stat().st_mode & 0o777 == 0o755


def test_unchanged_files_are_not_copied_again_and_withdrawn_ones_go(tmp_path: Path) -> None:
    override, target = tmp_path / "override", tmp_path / "inst"
    override.mkdir()
    (override / "welcome.wav").write_bytes(b"recorded")
    (override / "goodbye.wav").write_bytes(b"recorded")
    assert install_prompts(target, [(OVERRIDE, override)]) == 2
    assert install_prompts(target, [(OVERRIDE, override)]) == 0
    (override / "goodbye.wav").unlink()
    (override / "welcome.wav").write_bytes(b"recorded again")
    os.utime(override / "welcome.wav", (1, 1))
    assert install_prompts(target, [(OVERRIDE, override)]) == 1
    assert [p.name for p in (target / OVERRIDE).iterdir()] == ["welcome.wav"]
    assert (target / OVERRIDE / "welcome.wav").read_bytes() == b"recorded again"


def test_the_settings_name_both_sources_and_the_pbx_config_carries_them(tmp_path: Path) -> None:
    config = Settings(data_dir=tmp_path, ami_secret="a" * 24)
    assert config.prompt_sources == ((OVERRIDE, tmp_path / "prompts-override"),
                                     (BUILT, tmp_path / "prompts"))
    assert config.pbx_config().prompts == config.prompt_sources
    custom = Settings(data_dir=tmp_path, prompts_dir=tmp_path / "p",
                      prompts_override_dir=tmp_path / "rec", ivr_direct_to_agent=True,
                      ivr_describe_seconds=5)
    assert custom.prompt_sources == ((OVERRIDE, tmp_path / "rec"), (BUILT, tmp_path / "p"))
    assert custom.ivr_config().direct_to_agent and custom.ivr_config().describe_seconds == 5
