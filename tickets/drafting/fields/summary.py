"""A one-line title for the ticket: the most specific place, then what the caller reports."""

import re

from tickets.drafting.transcript import Call
from tickets.enums import Category, RequestType

MAX_LENGTH = 40
_OPENING = re.compile(
    r"^(喂|你好|您好|哎|那个|就是|我说|请问|同志|闺女|师傅|是这样的|是这样|我想|我要|我来|想|要|"
    r"我(?!们)|俺(?!们)|"
    r"咨询一下|咨询|问一下|问问|问下|反映一下|反映|投诉一下|投诉|举报一下|举报|提个建议|建议一下|"
    r"表扬一下|表扬|求助|一下|个|这个|是|的|啊|呀|,|\s)+")
_CONTACT = re.compile(r"(电话|号码|联系方式)?(是)?\d{7,12}.*$")


def summarise(call: Call, request_type: RequestType, category: Category | None,
              places: tuple[str, ...]) -> str:
    """``[place] what the caller first says about the matter``, at most 40 characters."""
    if request_type is RequestType.INVALID:
        return "无效来电"
    matter = ""
    for _, utterance in call.of("caller"):
        text = _CONTACT.sub("", _OPENING.sub("", utterance.text))
        if len(text) >= 6:
            matter = text
            break
    place = _short_place(places)
    title = f"{place} {matter}".strip() if matter and place not in matter else matter or place
    if not title:
        title = f"{category.value}{request_type.value}" if category else request_type.value
    return title[:MAX_LENGTH]


def _short_place(places: tuple[str, ...]) -> str:
    """The most specific place the caller named: the last part, without its district."""
    if not places:
        return ""
    last = places[-1]
    for suffix in ("区", "县", "市", "旗"):
        _, sep, tail = last.partition(suffix)
        if sep and len(tail) >= 3:
            last = tail  # 槐荫区美林小区 → 美林小区
            break
    return last[:16]
