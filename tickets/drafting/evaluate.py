"""Scoring drafts against labelled calls, exactly as ``shared/drafting/README.md`` says.

Exact match for request type, category, urgency, emergency, enterprise, confidentiality,
phone and refusal reason; the address is right when it contains every labelled keyword
(calls without keywords are not scored on it); a missed emergency is a call labelled 110,
119 or 120 whose prediction is anything else.
"""

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tickets.drafting.draft import Draft
from tickets.drafting.errors import MalformedLabels
from tickets.drafting.service import draft_from_turns
from tickets.drafting.transcript import SPEAKERS, Turn

EXACT_FIELDS = ("request_type", "category", "urgency", "emergency", "enterprise",
                "confidential", "phone", "not_accepted")
SCORED_FIELDS = (*EXACT_FIELDS[:6], "phone", "address", "not_accepted")
MISSABLE = frozenset({"110", "119", "120"})


@dataclass(frozen=True)
class LabelledCall:
    """One line of a labelled file: the turns and what an experienced agent chose."""

    id: str
    turns: tuple[Turn, ...]
    labels: dict[str, Any]
    address_keywords: tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    """A call where the draft disagrees with the label on one field."""

    id: str
    field: str
    expected: Any
    got: Any


@dataclass
class Report:
    """Accuracy per field, missed emergencies and the disagreements."""

    calls: int = 0
    right: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)
    missed_emergencies: list[str] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    seconds: float = 0.0
    durations: list[float] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        """Share of scored calls right on ``name`` (1.0 when none was scored)."""
        scored = self.scored.get(name, 0)
        return self.right.get(name, 0) / scored if scored else 1.0

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON."""
        return {
            "calls": self.calls,
            "accuracy": {name: round(self.accuracy(name), 4) for name in SCORED_FIELDS},
            "scored": {name: self.scored.get(name, 0) for name in SCORED_FIELDS},
            "missed_emergencies": self.missed_emergencies,
            "ms_per_call": round(1000 * self.seconds / self.calls, 2) if self.calls else 0.0,
            "ms_median": round(1000 * _quantile(self.durations, 0.5), 2),
            "ms_p95": round(1000 * _quantile(self.durations, 0.95), 2),
            "misses": [miss.__dict__ for miss in self.misses],
        }


def _quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``, 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def load_labelled(path: Path) -> list[LabelledCall]:
    """The calls of a labelled ``.jsonl`` file."""
    calls = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            calls.append(_labelled(line, number))
    return calls


def _labelled(line: str, number: int) -> LabelledCall:
    try:
        data = json.loads(line)
        turns = tuple(Turn(t["speaker"], t["text"]) for t in data["turns"])
        if any(t.speaker not in SPEAKERS or not isinstance(t.text, str) for t in turns):
            raise ValueError("bad speaker or text")
        labels = {name: data[name] for name in EXACT_FIELDS}
        return LabelledCall(str(data.get("id", number)), turns, labels,
                            tuple(data.get("address_keywords") or ()))
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedLabels("a line is not a labelled call", line=number,
                              error=str(exc)) from exc


def _value(draft: Draft, name: str) -> Any:
    value = draft.to_json()[name]
    return value


def score(calls: Iterable[LabelledCall],
          drafter: Callable[..., Draft] = draft_from_turns,
          caller_ids: Mapping[str, str] | None = None) -> Report:
    """Draft every call and compare with its labels.

    With ``caller_ids`` (call id → number) each call is drafted with its caller ID and the
    phone expected is the labelled one, or the caller ID when the caller spoke none.
    """
    report = Report()
    for call in calls:
        caller = caller_ids.get(call.id) if caller_ids is not None else None
        started = time.perf_counter()
        draft = drafter(call.turns) if caller is None else drafter(call.turns, caller_id=caller)
        elapsed = time.perf_counter() - started
        report.seconds += elapsed
        report.durations.append(elapsed)
        report.calls += 1
        for name in EXACT_FIELDS:
            expected = call.labels[name]
            if name == "phone" and caller is not None:
                expected = expected or caller
            _count(report, call.id, name, expected, _value(draft, name))
        if call.address_keywords:
            right = all(keyword in draft.address for keyword in call.address_keywords)
            _count(report, call.id, "address", list(call.address_keywords),
                   draft.address, right)
        if call.labels["emergency"] in MISSABLE and \
                _value(draft, "emergency") != call.labels["emergency"]:
            report.missed_emergencies.append(call.id)
    return report


def _count(report: Report, call_id: str, name: str, expected: Any, got: Any,
           right: bool | None = None) -> None:
    report.scored[name] = report.scored.get(name, 0) + 1
    if right is None:
        right = expected == got
    if right:
        report.right[name] = report.right.get(name, 0) + 1
    else:
        report.misses.append(Miss(call_id, name, expected, got))
