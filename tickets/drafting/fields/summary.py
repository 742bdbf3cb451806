"""The ticket's 诉求内容: what the caller reports, where, since when and what they want,
taken from their own words (extractive) as a ticket would read it:
``来电投诉：美林小区电梯坏了，半个月了。诉求：尽快修好``.

"What" is the caller's sentence that carries most of the call's subject (the topic and
emergency words the other fields read), "where" the place of occurrence as drafted (the
place list's spelling), "since when" the first span of time the caller gives, "what they
want" the first sentence saying it (希望, 要求, 能不能, 帮忙 …). Sentences are the caller's
turns cut where a new clause starts. It reads the call as heard (snapped by sound), so it
is as robust to the recogniser as the fields are; its confidence says how much of it was
found and how sure the recogniser was.
"""

import re

from tickets.drafting.fields import category, emergency
from tickets.drafting.transcript import Call
from tickets.enums import Category, RequestType

MAX_LENGTH = 120
MAX_CLAUSE = 40
SHORT = 8  # a clause this short goes on into the next
_VERB = {RequestType.COMPLAINT: "投诉", RequestType.REPORT: "举报",
         RequestType.CONSULTATION: "咨询", RequestType.HELP: "求助",
         RequestType.SUGGESTION: "建议", RequestType.PRAISE: "表扬"}
_OPENING = re.compile(
    r"^(喂|你好|您好|哎|那个|就是|我说|请问|同志|闺女|师傅|是这样的|是这样|我想|我要|我来|我是来|"
    r"[我俺](?=举报|投诉|反映|咨询|建议|表扬|求助|想|要|来|是来)|"
    r"想|要|咨询一下|咨询|问一下|问问|问下|反映一下|反映|投诉一下|投诉|举报一下|举报|提个建议|"
    r"建议一下|表扬一下|表扬|求助|一下|个|这个|是|的|啊|呀|嗯|对|好|行|,|\s)+")
_CONTACT = re.compile(r"(我的|我)?(电话|号码|联系方式|手机)?(号码)?(是)?\d{7,12}.*$")
# where a new clause starts inside a turn (the recogniser writes no punctuation)
_CLAUSE = re.compile(r"(?=(?:然后|而且|但是|可是|结果|并且|所以|现在|已经|希望|要求|麻烦|能不能|"
                     r"请你们|帮忙|尽快|赶紧))")
_SINCE = re.compile(
    r"((从|自)[^|，]{1,8}(开始|起|以来)|(\d+|几|好几|半|一|两|十几|几十)(个)?"
    r"(分钟|小时|天|晚上|个月|月|年|周|星期|礼拜)(了|多了|多)?|"
    r"(昨天|前天|今天|上周|上个月|去年|前几天|这几天|最近|早上|晚上|半夜)[^|，]{0,4}?"
    r"(开始|就|起))")
_WISH = re.compile(r"(希望|要求|请你们|麻烦你们|能不能|能否|帮忙|帮我们|帮我|尽快|赶紧|给个说法|"
                   r"处理一下|解决一下|管一管|管管|来看看|派人)")
_NOT_CONTENT = re.compile(r"^(好的?|谢谢|行|嗯|对|是的|没有了|没了|就这些|再见)")


def summarise(call: Call, request_type: RequestType, subject: Category | None,
              places: tuple[str, ...]) -> tuple[str, float]:
    """The 诉求内容 of the call and how sure drafting is of it."""
    if request_type is RequestType.INVALID:
        return "无效来电", 0.85
    clauses = _clauses(call)
    what = _what(call, clauses)
    texts = [text for text, _, _, _ in clauses]
    since = next((m.group() for c in texts for m in [_SINCE.search(c)] if m), "")
    wish = next((c for c in texts if _WISH.search(c) and c != what), "")
    place = "".join(places)
    head = f"来电{_VERB.get(request_type, '反映')}："
    body = what
    if place and place not in body:
        body = f"{place}，{body}" if body else place
    if since and since not in body:
        body += f"，{since}"
    if not body:
        body = f"{subject.value}{request_type.value}" if subject else request_type.value
    text = head + body + (f"。诉求：{wish}" if wish and wish not in body else "")
    found = 0.45 * bool(what) + 0.2 * bool(place) + 0.1 * bool(since) + 0.1 * bool(wish)
    return text[:MAX_LENGTH], round(min(0.85, 0.1 + found) * (0.5 + 0.5 * call.confidence(
        "caller")), 3)


def _clauses(call: Call) -> list[tuple[str, int, int, int]]:
    """The caller's sentences (text, utterance, start, end): turns cut where a clause starts,
    openings and numbers off."""
    out = []
    for index, utterance in call.of("caller"):
        pieces: list[tuple[str, int]] = []
        at = 0
        for piece in _CLAUSE.split(utterance.text):
            if pieces and len(pieces[-1][0]) < SHORT:
                pieces[-1] = (pieces[-1][0] + piece, pieces[-1][1])  # 希望你们 尽快 帮忙修
            else:
                pieces.append((piece, at))
            at += len(piece)
        for piece, start in pieces:
            text = _CONTACT.sub("", _OPENING.sub("", piece))
            if len(text) >= 4 and not _NOT_CONTENT.match(text):
                out.append((text[:MAX_CLAUSE], index, start, start + len(piece)))
    return out


def _what(call: Call, clauses: list[tuple[str, int, int, int]]) -> str:
    """The clause carrying most of the call's subject (the first one when none does): the
    weight of the topic and emergency words the other fields found in it."""
    hits = [*call.hits(category.TOPICS, "caller"), *call.hits(emergency.EVENTS, "caller")]
    best, score = "", 0.0
    for text, index, start, end in clauses:
        weight = sum(found.hit.cue.weight for found in hits
                     if found.index == index and start <= found.hit.start < end)
        if weight > score:
            best, score = text, weight
    return best or (clauses[0][0] if clauses else "")
