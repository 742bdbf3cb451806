"""The callback number the caller speaks (digit by digit in the transcript).

A number corrected later in the call replaces the earlier one (``…零六六 不对 是 …零九九``),
including a correction of its last digits (``说错了 最后是 八二一``). "就这个号码" gives no
number: the caller ID is used elsewhere. Only the caller's turns are read: numbers the agent
speaks are departments' lines.
"""

import re
from dataclasses import dataclass

from tickets.drafting.transcript import Call

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{9,11}")
LOCAL = re.compile(r"\d{7,8}")
AREA_CODE = re.compile(r"0\d{2,3}")
_DIGIT_RUN = re.compile(r"\d+")
_PHONE_CUE = re.compile(r"(电话|号码|手机|座机|打|联系|号是|找我)")
_TAIL_FIX = re.compile(r"(最后|后面|末尾|尾号)(一|两|三|四|[1-4])?(位|个数)?(数字)?"
                       r"(是|应该是|改成|为)?(\d{1,4})")
_CORRECTION = ("不对", "不是", "说错", "错了", "更正", "应该是", "重新说")


SPOKEN = "spoken"
CALLER_ID = "caller_id"
SAME_NUMBER = 3  # digit edits within which a spoken mobile number is the caller ID misheard
SAME_SHORT = 1  # the same for shorter numbers (a landline without its area code)


@dataclass(frozen=True)
class Phone:
    """The callback number (None when none is known), how sure drafting is, and where it
    comes from: ``spoken`` by the caller, or the ``caller_id`` the call arrived with."""

    number: str | None
    confidence: float
    source: str | None = None


def _numbers(run: str, cued: bool) -> list[str]:
    """Phone numbers in a run of digits; two numbers spoken back to back are split."""
    if MOBILE.fullmatch(run) or LANDLINE.fullmatch(run) or (cued and LOCAL.fullmatch(run)):
        return [run]
    if len(run) == 22 and MOBILE.fullmatch(run[:11]) and MOBILE.fullmatch(run[11:]):
        return [run[:11], run[11:]]
    if len(run) == 12 and run[0] == "1" and MOBILE.fullmatch(run[1:]):
        return [run[1:]]  # a stutter on the first digit
    return []


def _runs(call: Call) -> list[tuple[str, str, int]]:
    """(caller turn text, digit run, where it starts), with split numbers joined.

    An area code said apart (区号 0473 电话 3962581) joins its number; a number broken off
    at the end of a turn (the agent said 嗯) joins the digits that open the next turn.
    """
    runs: list[tuple[str, str, int]] = []
    pending = ""
    for _, utterance in call.of("caller"):
        text = utterance.text
        matches = list(_DIGIT_RUN.finditer(text))
        for n, match in enumerate(matches):
            digits, start = match.group(), match.start()
            if n == 0 and pending and start == 0 and len(pending + digits) in (11, 12):
                digits = pending + digits
            elif n and AREA_CODE.fullmatch(matches[n - 1].group()) \
                    and start - matches[n - 1].end() <= 6 and LOCAL.fullmatch(digits):
                digits = matches[n - 1].group() + digits
            runs.append((text, digits, start))
        last = matches[-1] if matches else None
        pending = last.group() if last and last.end() == len(text) and \
            last.group()[0] in "01" and len(last.group()) < 11 else ""
    return runs


def extract(call: Call, caller_id: str | None = None) -> Phone:
    """The callback number: the one the caller gave, reconciled with the caller ID (which is
    the callback number when none was spoken)."""
    spoken = _spoken(call)
    if spoken.number is None:
        for rank in range(1, call.alternatives() + 1):  # the recogniser's other hearings
            heard = _spoken(call.alternative(rank))
            if heard.number is not None:
                spoken = Phone(heard.number, min(heard.confidence, 0.7))
                break
    if spoken.number is not None:
        spoken = Phone(spoken.number, spoken.confidence * _heard(call, spoken.number))
    caller = "".join(c for c in caller_id or "" if c.isdigit())
    if not caller:
        return Phone(spoken.number, spoken.confidence,
                     SPOKEN if spoken.number is not None else None)
    if spoken.number == caller:
        return Phone(caller, 0.98, SPOKEN)
    if spoken.number is not None and not _same(spoken.number, caller):
        return Phone(spoken.number, spoken.confidence, SPOKEN)
    if spoken.number is None and any(not _same(run, caller) for run in _near_numbers(call)):
        return Phone(caller, 0.6, CALLER_ID)  # a number was said, too garbled to read
    return Phone(caller, 0.95, CALLER_ID)


def _heard(call: Call, number: str) -> float:
    """How much of the number's confidence survives the recogniser's doubt in its digits."""
    for _, utterance in call.of("caller"):
        at = utterance.text.rfind(number)
        if at >= 0:
            return 0.5 + 0.5 * utterance.confidence(at, at + len(number))
    return 1.0


def _same(spoken: str, caller: str) -> bool:
    """A spoken number that is the caller ID misheard: a few digits off, or its local part."""
    if len(spoken) >= 7 and (caller.endswith(spoken) or spoken.endswith(caller)):
        return True
    limit = SAME_NUMBER if len(caller) >= 11 else SAME_SHORT
    return _edits(spoken, caller) <= limit


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _near_numbers(call: Call) -> list[str]:
    """Digit runs of the caller's that look like a phone number said wrong (9 to 13 digits)."""
    return [digits for _, digits, _ in _runs(call) if 9 <= len(digits) <= 13]


def _spoken(call: Call) -> Phone:
    """The last phone number the caller gave, after corrections."""
    number: str | None = None
    corrected = False
    turn, after = "", ""  # the turn of the number, and what the caller said after it
    for text, digits, start in _runs(call):
        if number is not None and text != turn:
            number, fixed = _fix_tail(number, after)  # the number's turn is over
            corrected = corrected or fixed
            turn, after = text, text  # a later turn is said after the number, all of it
        cued = bool(_PHONE_CUE.search(text[max(0, start - 8):start]))
        found = _numbers(digits, cued or len(digits) > 8)
        if found:
            if number is not None and any(w in text[:start] for w in _CORRECTION):
                corrected = True
            number, turn, after = found[-1], text, text[start + len(digits):]
    if number is not None:
        number, fixed = _fix_tail(number, after)
        corrected = corrected or fixed
    if number is None:
        return Phone(None, 0.85)
    return Phone(number, 0.8 if corrected else 0.95)


def _fix_tail(number: str, text: str) -> tuple[str, bool]:
    """Apply "最后(三位)是 821", said after the number, to the number's last digits."""
    match = _TAIL_FIX.search(text)
    if match is None or not (match.group(3) or any(w in text for w in _CORRECTION)):
        return number, False  # "后面是397" without 位 or a correction: a plate, not the phone
    digits = match.group(6)
    if number.endswith(digits):
        return number, False
    return number[:len(number) - len(digits)] + digits, True
