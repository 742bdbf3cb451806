"""The catalogue: every name a route plays exists, names are file names, labels are copied."""

import ast
import re
from pathlib import Path

import pytest

from ivr.prompts.build import SAFE_PROMPT_NAME
from ivr.prompts.catalogue import CATALOGUE, SCALE_LABELS, STATE_LABELS, TONES, by_text, cardinal
from tickets.policy.registry import get_policy
from tickets.workflow.machine import TicketState

IVR = Path(__file__).resolve().parents[3] / "ivr"
PROFILES = ("shandong", "tonghua", "changzhi", "wuhai", "zhanjiang", "default")


def test_names_are_plain_file_names() -> None:
    assert all(SAFE_PROMPT_NAME.fullmatch(name) for name in (*CATALOGUE, *TONES))


def test_texts_have_no_arabic_digits() -> None:  # espeak-ng reads 12345 as a quantity
    assert not [name for name, text in CATALOGUE.items() if re.search(r"[0-9]", text)]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_profile_scale_label_has_a_prompt(profile: str) -> None:
    scale = get_policy(profile).evaluation.scale
    assert 1 <= len(scale) <= 8
    assert all(label in by_text() for label in scale)
    assert set(SCALE_LABELS.values()) >= set(scale)


def test_every_ticket_state_has_a_label() -> None:
    assert set(STATE_LABELS) == {state.value for state in TicketState}


def test_every_prompt_the_routes_name_is_in_the_catalogue() -> None:
    named: set[str] = set()
    for path in IVR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"welcome|describe|tone|(menu|to|follow|revisit)-[a-z-]+", node.value):
                named.add(node.value)
    assert named - set(CATALOGUE) - set(TONES) == set()
    assert {"menu-main", "follow-enter", "revisit-confirm", "tone"} <= named


def test_digits_numbers_and_keys() -> None:
    assert [CATALOGUE[f"digit-{d}"] for d in "0123456789"] == list("零幺二三四五六七八九")
    assert [cardinal(n) for n in (0, 7, 10, 16, 20, 31)] == [
        "零", "七", "十", "十六", "二十", "三十一"]
    assert CATALOGUE["press-3"] == "请按三" and "press-9" in CATALOGUE
    with pytest.raises(ValueError):
        cardinal(100)
