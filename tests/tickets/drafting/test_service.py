"""The draft as a whole: its JSON, and its speed on a live call."""

import json
import time
from pathlib import Path

from tests.tickets.drafting.helpers import turns
from tickets.drafting.draft import FIELDS
from tickets.drafting.service import draft_from_turns, warm_up
from tickets.drafting.transcript import Turn

DEV = Path(__file__).parents[3].parent / "shared/drafting/dev.jsonl"


def test_the_json_has_the_readme_keys_a_confidence_per_field_and_the_phones_source() -> None:
    data = draft_from_turns(turns("C: 我 要 投诉 历下 区 泉城 路 路灯 坏 了",
                                  "C: 电话 一 三 九 四 三 五 一 七 六 二 零")).to_json()
    assert set(data) == {*FIELDS, "confidence", "phone_source"}
    assert data["phone_source"] == "spoken"
    assert set(data["confidence"]) == set(FIELDS)
    assert all(0 <= value <= 1 for value in data["confidence"].values())
    assert data["phone"] == "13943517620"
    assert "泉城路" in data["address"]
    json.dumps(data, ensure_ascii=False)


def test_a_summary_names_the_place_and_the_matter() -> None:
    result = draft_from_turns(turns("C: 你好 我 要 投诉 美林 小区 电梯 坏 了 半 个 月"))
    assert "电梯" in result.summary and "美林小区" in result.summary
    assert result.summary.startswith("来电投诉：") and len(result.summary) <= 120


def test_an_empty_call_drafts_as_invalid() -> None:
    assert draft_from_turns([]).request_type == "无效"


def test_re_drafting_a_live_call_on_every_segment_is_fast() -> None:
    warm_up()
    lines = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()] \
        if DEV.exists() else []
    calls = [[Turn(t["speaker"], t["text"]) for t in call["turns"]] for call in lines[:40]]
    calls = calls or [turns("C: 我 要 投诉 物业 电梯 坏 了", "A: 地址", "C: 美林 小区 七 号楼")]
    started = time.perf_counter()
    for call in calls:
        for end in range(1, len(call) + 1):
            draft_from_turns(call[:end])
    segments = sum(len(call) for call in calls)
    per_segment_ms = 1000 * (time.perf_counter() - started) / segments
    assert per_segment_ms < 20
