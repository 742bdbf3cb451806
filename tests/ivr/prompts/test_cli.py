"""``hotline prompts build`` and ``list`` as a user types them."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotline.cli.main import app
from ivr.prompts.catalogue import CATALOGUE, TONES
from telephony.pbx.process import Instance

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOTLINE_ASTERISK_ROOT", str(tmp_path / "root"))
    return tmp_path / "data"


@pytest.mark.usefixtures("speech_tools")
def test_build_is_idempotent_and_installs_into_the_instance(data_dir: Path,
                                                            tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    result = runner.invoke(app, ["prompts", "build"])
    assert result.exit_code == 0, result.output
    total = len(CATALOGUE) + len(TONES)
    assert f"{total} prompts built, 0 unchanged" in result.output
    again = runner.invoke(app, ["prompts", "build"])
    assert f"0 prompts built, {total} unchanged" in again.output
    inside = Instance(tmp_path / "root", data_dir / "asterisk").run_dir / "prompts"
    assert (inside / "built" / "menu-main.wav16").is_file()
    assert f"installed into {inside}" in again.output
    # A deployment's recording replaces a prompt: `list` says so, `build` installs it.
    (data_dir / "prompts-override").mkdir()
    (data_dir / "prompts-override" / "welcome.wav").write_bytes(b"RIFF")
    runner.invoke(app, ["prompts", "build"])
    assert (inside / "override" / "welcome.wav").read_bytes() == b"RIFF"
    rows = {r["name"]: r for r in json.loads(
        runner.invoke(app, ["prompts", "list", "--json"]).output)}
    assert rows["welcome"]["source"] == "override" and rows["menu-main"]["source"] == "built"


@pytest.mark.usefixtures("speech_tools")
def test_build_without_an_asterisk_root_says_how_they_get_installed() -> None:
    result = runner.invoke(app, ["prompts", "build"])
    assert result.exit_code == 0 and "`hotline asterisk start` installs them" in result.output


def test_list_before_any_build() -> None:
    result = runner.invoke(app, ["prompts", "list"])
    assert result.exit_code == 0
    assert "menu-main" in result.output and "missing" in result.output


def test_build_without_espeak_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = runner.invoke(app, ["prompts", "build"])
    assert result.exit_code == 2 and "prompt-tool-missing" in result.output
