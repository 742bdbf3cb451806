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


@dataclass(frozen=True)
class Phone:
    """The callback number (None when none was spoken) and how sure drafting is."""

    number: str | None
    confidence: float


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


def extract(call: Call) -> Phone:
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
