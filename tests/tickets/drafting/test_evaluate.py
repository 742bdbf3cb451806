"""The drafting meets its targets on the labelled development calls and on the held-out set.

The development file lives in the shared folder beside the repository; the held-out calls
were written for this package before its rules were tuned, to check they generalise:
``heldout.jsonl`` in the first session, ``heldout2.jsonl`` later by a writer who never saw
the rules (its first reading: request type 81%, category 90%, emergency 92.5%), and
``heldout3.jsonl`` by another such writer after the rules ``heldout2`` showed were in (its
first reading: request type 81%, category 94%, emergency 92.5%, address 88%), and
``heldout4.jsonl`` by a third after ``heldout3``'s rules (first reading: request type 84%,
category 95%, emergency 95%, address 88%, one missed 120), and ``heldout5.jsonl`` after
``heldout4``'s (first reading: request type 77.5%, category 94%, emergency 94%, address 96%,
three missed), and ``heldout6.jsonl`` after ``heldout5``'s, with emergencies told indirectly
(first reading: request type 95%, category 94%, emergency 89%, four missed), and
``heldout7.jsonl`` stressing request types the caller never names (first reading: request type
72.5%, category 95%, emergency 97.5%) and ``heldout8.jsonl`` stressing emergencies told without
their keywords and traps (first reading: emergency 86%, no 110/119/120 missed; the misses were
utilities and false alarms), and ``heldout9.jsonl``, a realistic day's mix written last (first
reading: request type 84%, category 97.5%, emergency 99%, no emergency missed). The cases they
found are pinned in ``test_second_reading.py``.
"""

from pathlib import Path

import pytest

from tickets.drafting.evaluate import load_labelled, score

DEV = next((folder / "shared/drafting/dev.jsonl" for folder in Path(__file__).parents[3].parents
            if (folder / "shared/drafting/dev.jsonl").exists()),
           Path(__file__).parents[3].parent / "shared/drafting/dev.jsonl")
HELDOUT = Path(__file__).parent / "heldout.jsonl"
HELDOUT_SETS = [HELDOUT, *(Path(__file__).parent / f"heldout{n}.jsonl" for n in range(2, 10))]
TARGETS = {"request_type": 0.85, "category": 0.80, "emergency": 0.95, "phone": 0.95,
           "address": 0.85, "confidential": 0.95, "enterprise": 0.90, "not_accepted": 0.80}


def _check(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"the labelled calls are missing: {path}")
    report = score(load_labelled(path))
    below = {name: round(report.accuracy(name), 3) for name, target in TARGETS.items()
             if report.accuracy(name) < target}
    assert below == {}, [m for m in report.misses if m.field in below]
    assert report.missed_emergencies == []


def test_the_development_calls_meet_every_target() -> None:
    _check(DEV)


@pytest.mark.parametrize("path", HELDOUT_SETS, ids=lambda p: p.name)
def test_the_held_out_calls_meet_every_target(path: Path) -> None:
    _check(path)


@pytest.mark.parametrize("path", HELDOUT_SETS, ids=lambda p: p.name)
def test_the_held_out_set_is_large_and_varied(path: Path) -> None:
    calls = load_labelled(path)
    assert len(calls) >= 40
    assert len({c.labels["category"] for c in calls}) == 13  # twelve and None
    assert len({c.labels["emergency"] for c in calls}) == 10
