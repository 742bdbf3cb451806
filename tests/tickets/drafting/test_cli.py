"""``hotline draft`` as an agent's tool or a script uses it."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hotline.cli.main import app
from tickets.drafting.draft import FIELDS

runner = CliRunner()
HELDOUT = Path(__file__).parent / "heldout.jsonl"
FIRE = [{"speaker": "agent", "text": "您好 一 二 三 四 五 请 讲"},
        {"speaker": "caller", "text": "着火 了 我们 楼道 里 电动车 着火 了 二道江 区 桃园 路 "
                                      "铁厂 小区 十二 号楼"}]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HOTLINE_DATABASE_URL", raising=False)
    return tmp_path


def draft_json(stdin: str, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["draft", "--json", *args], input=stdin)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_json_turns_give_the_readme_keys_and_confidences() -> None:
    data = draft_json(json.dumps(FIRE, ensure_ascii=False))
    assert set(data) == {*FIELDS, "confidence", "phone_source"}
    assert data["emergency"] == "119"
    assert "12号楼" in str(data["address"])


def test_plain_text_is_taken_as_the_callers_words() -> None:
    data = draft_json("我 要 投诉 美林 小区 电梯 坏 了 电话 一 三 九 四 三 五 一 七 六 二 零\n")
    assert (data["request_type"], data["category"]) == ("投诉", "住房保障")
    assert data["phone"] == "13943517620"


def test_without_json_a_table_is_printed() -> None:
    result = runner.invoke(app, ["draft"], input="我 要 投诉 美林 小区 电梯 坏 了")
    assert result.exit_code == 0
    assert "request_type" in result.stdout and "投诉" in result.stdout


@pytest.mark.parametrize("stdin", ["", "[{\"speaker\": 1}", '[{"speaker": "robot", "text": "x"}]',
                                   '{"turns": "none"}'])
def test_malformed_input_is_a_clear_error_with_exit_code_2(stdin: str) -> None:
    result = runner.invoke(app, ["draft"], input=stdin)
    assert result.exit_code == 2
    assert "malformed-transcript" in result.output
    assert "Traceback" not in result.output


def test_malformed_input_with_json_prints_a_json_error() -> None:
    result = runner.invoke(app, ["draft", "--json"], input="[1, 2")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error_id"] == "malformed-transcript"


def test_eval_prints_accuracy_per_field_and_missed_emergencies() -> None:
    result = runner.invoke(app, ["draft", "eval", str(HELDOUT)])
    assert result.exit_code == 0, result.output
    for name in ("request_type", "category", "emergency", "phone", "address", "not_accepted"):
        assert name in result.stdout
    assert "missed 110/119/120 emergencies: none" in result.stdout


def test_eval_json() -> None:
    result = runner.invoke(app, ["draft", "eval", str(HELDOUT), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["calls"] >= 40
    assert data["missed_emergencies"] == []
    assert data["accuracy"]["emergency"] >= 0.95


def test_eval_of_a_malformed_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["draft", "eval", str(bad)])
    assert result.exit_code == 2
    assert "malformed-labels" in result.output


def test_imported_places_reach_every_later_draft(tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    places = tmp_path / "places.csv"
    places.write_text("name,kind\n五女峰,landmark\n龙湾,landmark\n", encoding="utf-8")
    result = runner.invoke(app, ["draft", "places", "import", str(places)])
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout
    listed = runner.invoke(app, ["draft", "places", "list"])
    assert "五女峰,landmark" in listed.stdout
    question = "我 想 问 一下 五女峰 门票 多少 钱"
    assert "五女峰" in str(draft_json(question)["address"])
    assert "五女峰" not in str(draft_json(question, "--no-db")["address"])


def test_a_malformed_places_file_is_refused(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("五女峰,volcano\n", encoding="utf-8")
    result = runner.invoke(app, ["draft", "places", "import", str(places)])
    assert result.exit_code == 2
    assert "malformed-places-file" in result.output


def test_eval_with_noise_prints_the_cer_reached_and_is_the_same_for_the_same_seed() -> None:
    args = ["draft", "eval", str(HELDOUT), "--noise", "20", "--seed", "7", "--json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert abs(data["cer"] - 0.2) < 0.01
    assert data["accuracy"] == json.loads(second.stdout)["accuracy"]
    table = runner.invoke(app, ["draft", "eval", str(HELDOUT), "--noise", "10"])
    assert "recogniser noise: CER" in table.stdout


def test_eval_with_caller_ids_expects_the_caller_id_when_no_number_is_spoken() -> None:
    result = runner.invoke(app, ["draft", "eval", str(HELDOUT), "--caller-id", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["accuracy"]["phone"] >= 0.95


def test_a_caller_id_given_to_a_draft_is_the_callback_number() -> None:
    data = draft_json("我 要 投诉 美林 小区 电梯 坏 了\n", "--caller-id", "13912345678")
    assert (data["phone"], data["phone_source"]) == ("13912345678", "caller_id")


def test_a_malformed_caller_id_is_a_clear_error() -> None:
    result = runner.invoke(app, ["draft", "--caller-id", "abc"], input="我 要 投诉")
    assert result.exit_code == 2
    assert "malformed-caller-id" in result.output
