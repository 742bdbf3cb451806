"""The ``hotline`` command as a user types it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotline.cli.main import app
from tickets.calendar.workdays import packaged_years

runner = CliRunner()


def due(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["policy", "due", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HOTLINE_DATABASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize(("profile", "args", "expected", "article"), [
    ("tonghua", ["--type", "投诉"], "2026-10-13T23:59:59+08:00", "tonghua 第十六条"),
    ("zhanjiang", ["--type", "咨询"], "2026-10-09T23:59:59+08:00", "zhanjiang 第十一条(一)"),
    ("zhanjiang", ["--type", "投诉"], "2026-10-27T23:59:59+08:00", "zhanjiang 第十一条(三)"),
    ("shandong", ["--type", "求助", "--enterprise"], "2026-10-27T23:59:59+08:00",
     "shandong 第十五条"),
    ("wuhai", ["--type", "投诉", "--urgency", "紧急"], "2026-09-30T12:00:00+08:00",
     "wuhai 6.4.2"),
    ("tonghua", ["--urgency", "非常紧急"], "2026-09-30T22:00:00+08:00", "tonghua 第十六条"),
    ("wuhai", ["--rule", "review"], "2026-10-08T23:59:59+08:00", "wuhai 6.2"),
    ("zhanjiang", ["--rule", "return"], "2026-10-09T23:59:59+08:00", "zhanjiang 第十条"),
])
def test_policy_due_prints_the_deadline_and_its_article(
    profile: str, args: list[str], expected: str, article: str
) -> None:
    answer = due("--profile", profile, "--at", "2026-09-30T10:00:00+08:00", *args)
    assert answer["due"] == expected
    assert answer["provisional"] is False
    assert str(answer["article"]).startswith(article)


def test_policy_due_in_an_unknown_year_is_provisional() -> None:
    year = max(packaged_years()) + 1
    answer = due("--profile", "tonghua", "--at", f"{year}-03-01T10:00:00+08:00")
    assert answer["provisional"] is True


@pytest.mark.parametrize(("args", "error_id"), [
    (["--profile", "atlantis", "--at", "2026-03-02T10:00:00+08:00"], "unknown-profile"),
    (["--profile", "tonghua", "--at", "2026-03-02T10:00:00"], "timezone-required"),
    (["--profile", "tonghua", "--at", "yesterday"], "invalid-value"),
    (["--profile", "tonghua", "--at", "2026-03-02T10:00:00+08:00", "--type", "闲聊"],
     "invalid-value"),
    (["--profile", "tonghua", "--at", "2026-03-02T10:00:00+08:00", "--urgency", "很急"],
     "invalid-value"),
])
def test_policy_due_bad_input_exits_2_with_the_error_id(args: list[str], error_id: str) -> None:
    result = runner.invoke(app, ["policy", "due", *args, "--json"])
    assert result.exit_code == 2
    assert json.loads(result.output)["error_id"] == error_id


def test_policy_show_json_has_every_profile_number_with_articles() -> None:
    result = runner.invoke(app, ["policy", "show", "zhanjiang", "--json"])
    data = json.loads(result.output)
    assert data["handling"]["投诉"] == {"amount": 15, "unit": "working_days",
                                      "article": "zhanjiang 第十一条(三)"}
    assert data["extension"]["max_count"] == 2


def test_db_upgrade_then_calendar_import_from_csv(data_dir: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    year = max(packaged_years()) + 1
    csv_file = data_dir / "holidays.csv"
    csv_file.write_text(f"date,working,name\n{year}-01-01,0,元旦\n{year}-02-06,1,春节调休\n",
                        encoding="utf-8")
    result = runner.invoke(app, ["calendar", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert f"for [{year}]" in result.output
    shown = runner.invoke(app, ["calendar", "show", f"{year}-01-01", f"{year}-01-01"])
    assert shown.output.strip() == f"{year}-01-01 rest"


def test_calendar_import_of_a_broken_file_is_a_clear_error(data_dir: Path) -> None:
    runner.invoke(app, ["db", "upgrade"])
    broken = data_dir / "broken.csv"
    broken.write_text("date,working\nnot-a-date,1\n")
    result = runner.invoke(app, ["calendar", "import", str(broken)])
    assert result.exit_code == 2
    assert "bad-calendar-file" in result.output


def test_the_console_script_is_installed_and_answers(data_dir: Path) -> None:
    script = Path(sys.executable).parent / "hotline"
    output = subprocess.run(
        [str(script), "policy", "due", "--profile", "default", "--at",
         "2026-03-02T10:00:00+08:00", "--type", "投诉", "--json"],
        capture_output=True, text=True, check=True, timeout=60).stdout
    assert json.loads(output)["due"].endswith("+08:00")


def modes(folder: Path) -> dict[str, int]:
    """The permission bits of ``folder`` and of everything in it."""
    found = {".": folder.stat().st_mode & 0o777}
    found |= {str(p.relative_to(folder)): p.stat().st_mode & 0o777
              for p in folder.rglob("*") if not p.is_symlink()}
    return found


@pytest.mark.parametrize("existing", [False, True])
def test_what_the_command_creates_in_the_data_folder_is_its_owners_alone(
    tmp_path: Path, existing: bool
) -> None:
    data = tmp_path / "data"
    if existing:  # as an earlier version left it
        data.mkdir(mode=0o755)
        data.chmod(0o755)
    env = {**os.environ, "HOTLINE_DATA_DIR": str(data),
           "HOTLINE_ASTERISK_ROOT": str(tmp_path / "no-root")}
    env.pop("HOTLINE_DATABASE_URL", None)
    script = str(Path(sys.executable).parent / "hotline")
    permissive = os.umask(0o022)  # the usual umask of whoever starts it
    try:
        subprocess.run([script, "db", "upgrade"], env=env, check=True, timeout=120,
                       capture_output=True)
        # generates the AMI secret and the SIP passwords on the way
        status = subprocess.run([script, "asterisk", "status"], env=env, timeout=60,
                                capture_output=True)
    finally:
        os.umask(permissive)
    assert status.returncode == 3, status.stderr  # not running
    found = modes(data)
    assert found["."] == 0o700
    assert found["hotline.db"] == found["secrets.json"] == 0o600
    assert {name: mode for name, mode in found.items() if mode & 0o077} == {}
