"""Prompts copied into an Asterisk instance: mirrored, readable by Asterisk alone, atomic."""

import os
from pathlib import Path

import pytest

from hotline.settings import Settings
from ivr.config import MenuMode
from ivr.prompts.player import BUILT, OVERRIDE
from telephony.pbx.account import Account
from telephony.pbx.prompts import install_prompts

ASTERISK = Account(4242, 4242)  # the instance's Asterisk account (root can give files to it)


def test_each_source_is_mirrored_into_its_folder(tmp_path: Path) -> None:
    built, override, target = tmp_path / "built", tmp_path / "override", tmp_path / "inst"
    built.mkdir()
    (built / "welcome.wav16").write_bytes(b"spoken")
    (built / "manifest.json").write_text("{}")  # not audio: stays home
    (built / ".half.wav16.tmp").write_bytes(b"")
    copied = install_prompts(target, [(OVERRIDE, override), (BUILT, built)],
                             ASTERISK)  # no override yet
    assert copied == 1
    assert sorted(p.name for p in (target / BUILT).iterdir()) == ["welcome.wav16"]
    assert list((target / OVERRIDE).iterdir()) == []
    installed = (target / BUILT / "welcome.wav16").stat()
    assert (installed.st_mode & 0o777, installed.st_uid, installed.st_gid) == (0o640, 0, 4242)
    for folder in (target, target / BUILT, target / "cache"):  # cache: spoken at call time
        assert (folder.stat().st_mode & 0o7777, folder.stat().st_gid) == (0o2750, 4242)


def test_a_copy_installed_readable_by_all_is_made_asterisks_alone(tmp_path: Path) -> None:
    built, target = tmp_path / "built", tmp_path / "inst"
    built.mkdir()
    (built / "welcome.wav16").write_bytes(b"spoken")
    install_prompts(target, [(BUILT, built)], ASTERISK)
    (target / BUILT / "welcome.wav16").chmod(0o644)  # as an earlier version installed it
    assert install_prompts(target, [(BUILT, built)], ASTERISK) == 1
    assert (target / BUILT / "welcome.wav16").stat().st_mode & 0o777 == 0o640


def test_unchanged_files_are_not_copied_again_and_withdrawn_ones_go(tmp_path: Path) -> None:
    override, target = tmp_path / "override", tmp_path / "inst"
    override.mkdir()
    (override / "welcome.wav").write_bytes(b"recorded")
    (override / "goodbye.wav").write_bytes(b"recorded")
    assert install_prompts(target, [(OVERRIDE, override)], ASTERISK) == 2
    assert install_prompts(target, [(OVERRIDE, override)], ASTERISK) == 0
    (override / "goodbye.wav").unlink()
    (override / "welcome.wav").write_bytes(b"recorded again")
    os.utime(override / "welcome.wav", (1, 1))
    assert install_prompts(target, [(OVERRIDE, override)], ASTERISK) == 1
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
    assert custom.ivr_config().mode is MenuMode.DIRECT and custom.ivr_config().describe_seconds == 5


@pytest.mark.parametrize(("policy", "mode"), [
    ("shandong", MenuMode.GREETING), ("tonghua", MenuMode.GREETING),
    ("zhanjiang", MenuMode.GREETING), ("changzhi", MenuMode.MENU), ("wuhai", MenuMode.MENU),
    ("default", MenuMode.MENU)])
def test_a_line_greets_or_offers_the_menu_as_its_profile_says(
        tmp_path: Path, policy: str, mode: MenuMode) -> None:
    assert Settings(data_dir=tmp_path, policy=policy).menu_mode is mode


def test_the_menu_setting_overrides_the_profile(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, policy="shandong", ivr_mode=MenuMode.MENU)
    assert settings.ivr_config().mode is MenuMode.MENU
