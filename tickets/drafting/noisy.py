"""Labelled calls as a recogniser would deliver them at a chosen character error rate, and
the caller ID each call arrives with.

The rate asked for is met by calibration: the chance per character that the simulated
recogniser errs is adjusted until the measured CER (character edits over characters, spaces
ignored, every turn of every call) is the rate asked for; the CER reached is reported.
"""

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from tickets.drafting.evaluate import LabelledCall
from tickets.drafting.gazetteer import PlaceKind
from tickets.drafting.noise import Recogniser, chars, edits
from tickets.drafting.places import infer_kind
from tickets.drafting.transcript import Turn

DEFAULT_SEED = 12345
CALIBRATION_ROUNDS = 4


@dataclass(frozen=True)
class NoisySet:
    """The calls as heard, the CER asked for and the one measured."""

    calls: tuple[LabelledCall, ...]
    rate: float
    seed: int
    cer: float
    p: float


def corrupt(calls: Sequence[LabelledCall], rate: float, seed: int = DEFAULT_SEED) -> NoisySet:
    """The calls heard by a recogniser whose CER on them is ``rate`` (0..1)."""
    if rate <= 0:
        return NoisySet(tuple(calls), 0.0, seed, 0.0, 0.0)
    p = rate
    heard, measured = _hear(calls, p, seed)
    for _ in range(CALIBRATION_ROUNDS):
        if measured <= 0 or abs(measured - rate) < 0.002:
            break
        p = min(0.9, p * rate / measured)
        heard, measured = _hear(calls, p, seed)
    return NoisySet(heard, rate, seed, measured, p)


def _hear(calls: Sequence[LabelledCall], p: float, seed: int
          ) -> tuple[tuple[LabelledCall, ...], float]:
    recogniser = Recogniser(p, seed)
    errors = total = 0
    out = []
    for call in calls:
        turns = []
        for n, turn in enumerate(call.turns):
            heard = recogniser.hear(turn, f"{call.id}:{n}")
            errors += edits(turn.text, heard.text)
            total += chars(turn.text)
            turns.append(heard)
        out.append(replace(call, turns=tuple(turns)))
    return tuple(out), errors / total if total else 0.0


def caller_id(call: LabelledCall, seed: int = DEFAULT_SEED, other_share: float = 0.0) -> str:
    """The number a call arrives from: the labelled callback number when there is one (else a
    plausible mobile number drawn from the call's id); with ``other_share``, that share of the
    calls with a labelled number come from another phone (an office line, a relative's)."""
    rng = random.Random(f"caller-id:{seed}:{call.id}")
    labelled = call.labels.get("phone")
    other = rng.random() < other_share
    if labelled and not other:
        return str(labelled)
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


def expected_phone(call: LabelledCall, caller: str | None) -> str | None:
    """The callback number a draft should propose: the one spoken, else the caller ID."""
    labelled = call.labels.get("phone")
    return str(labelled) if labelled else caller


def caller_ids(calls: Sequence[LabelledCall], seed: int = DEFAULT_SEED,
               other_share: float = 0.0) -> dict[str, str]:
    """Every call's caller ID (see :func:`caller_id`)."""
    return {call.id: caller_id(call, seed, other_share) for call in calls}


def text_only(calls: Sequence[LabelledCall]) -> tuple[LabelledCall, ...]:
    """The calls without word confidences and alternatives (a recogniser not asked for them)."""
    return tuple(replace(call, turns=tuple(Turn(t.speaker, t.text) for t in call.turns))
                 for call in calls)


def label_places(calls: Iterable[LabelledCall]) -> list[tuple[str, PlaceKind]]:
    """The named places of the calls' address keywords (not house numbers), as the
    deployment's place list (地名库) an administrator imports would hold them."""
    names = dict.fromkeys(keyword for call in calls for keyword in call.address_keywords
                          if len(keyword) >= 2 and not any(c.isdigit() for c in keyword))
    return [(name, infer_kind(name)) for name in names]
