"""The recogniser-noise generator: seeded, calibrated to the CER asked, and erring as a
Mandarin recogniser does (by sound, digits, spacing), with Vosk-like extras."""

from difflib import SequenceMatcher
from pathlib import Path

import pytest

from tickets.drafting import sound
from tickets.drafting.evaluate import load_labelled
from tickets.drafting.noise import Recogniser, chars, edits
from tickets.drafting.noisy import caller_id, corrupt, expected_phone, label_places
from tickets.drafting.transcript import Turn

HELDOUT = Path(__file__).parent / "heldout.jsonl"
TURN = Turn("caller", "我 家 楼道 里 电动车 着火 了 在 和平 路 十五 号 "
                      "电话 一 三 九 四 三 五 一 七 六 二 零")


def test_the_same_seed_hears_the_same_and_another_seed_otherwise() -> None:
    first = Recogniser(0.3, seed=7).hear(TURN, "call:1")
    assert first == Recogniser(0.3, seed=7).hear(TURN, "call:1")
    assert first.text != Recogniser(0.3, seed=8).hear(TURN, "call:1").text


@pytest.mark.parametrize("rate", [0.1, 0.2, 0.3])
def test_a_labelled_set_is_heard_at_the_cer_asked(rate: float) -> None:
    calls = load_labelled(HELDOUT)
    heard = corrupt(calls, rate)
    assert abs(heard.cer - rate) < 0.01
    total = sum(chars(t.text) for c in calls for t in c.turns)
    errors = sum(edits(a.text, b.text) for c, h in zip(calls, heard.calls, strict=True)
                 for a, b in zip(c.turns, h.turns, strict=True))
    assert errors / total == pytest.approx(heard.cer)
    assert [c.labels for c in heard.calls] == [c.labels for c in calls]


def test_characters_heard_otherwise_mostly_sound_alike() -> None:
    turn = Turn("caller", "我们 小区 楼道 里 的 电动车 着火 了 物业 也 不 管 "
                          "希望 你们 派 人 来 看看")
    clean = "".join(turn.text.split())
    alike = other = 0
    for seed in range(40):
        heard = "".join(Recogniser(0.3, seed).hear(turn, "c").text.split())
        for op, a1, a2, b1, b2 in SequenceMatcher(None, clean, heard).get_opcodes():
            if op != "replace" or a2 - a1 != b2 - b1:
                continue
            for a, b in zip(clean[a1:a2], heard[b1:b2], strict=True):
                same = bool(sound.codes(a) & sound.codes(b)) or any(
                    sound.near(x, y) for x in sound.codes(a) for y in sound.codes(b))
                alike, other = alike + same, other + (not same)
    assert alike > 2 * other  # homophones, other tones, near syllables; few others


def test_spoken_digits_are_misheard_as_their_homophones() -> None:
    turn = Turn("caller", "一 四 九 一 四 九 一 四 九 一 四 九")
    heard = " ".join(Recogniser(0.6, seed).hear(turn, "c").text for seed in range(20))
    assert {"衣", "医", "依", "幺"} & set(heard) and {"是", "十", "事"} & set(heard)
    assert {"酒", "就", "久"} & set(heard)


def test_the_words_are_spaced_otherwise_and_come_with_confidences_and_alternatives() -> None:
    heard = [Recogniser(0.3, seed).hear(TURN, "c") for seed in range(10)]
    assert any(len(h.text.split()) != len(TURN.text.split()) for h in heard)
    for turn in heard:
        assert [w.word for w in turn.words] == turn.text.split()
        assert all(0 <= w.conf <= 1 and w.start < w.end for w in turn.words)
        assert turn.alternatives[0].text == turn.text
        assert len(turn.alternatives) == 3


def test_a_caller_id_is_the_labelled_number_or_a_plausible_one() -> None:
    calls = load_labelled(HELDOUT)
    spoken = next(c for c in calls if c.labels["phone"])
    silent = next(c for c in calls if not c.labels["phone"])
    assert caller_id(spoken) == spoken.labels["phone"]
    assert caller_id(silent).isdigit() and len(caller_id(silent)) == 11
    assert expected_phone(silent, caller_id(silent)) == caller_id(silent)
    others = [caller_id(c, other_share=1.0) for c in calls if c.labels["phone"]]
    assert all(n != c.labels["phone"] for n, c in zip(others, [c for c in calls
                                                              if c.labels["phone"]],
                                                         strict=True))


def test_the_deployments_places_are_the_named_places_of_the_keywords() -> None:
    names = dict(label_places(load_labelled(HELDOUT)))
    assert names and not any(c.isdigit() for name in names for c in name)
