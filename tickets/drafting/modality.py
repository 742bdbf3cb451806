"""Whether a cue is asserted: negated (没有着火), past (以前出过车祸), hypothetical (万一),
or part of a call the caller admits was a joke (骗你的)."""

import re

NEGATORS = ("没有", "没", "不是", "不", "无", "别", "未", "并非", "不用", "不需要", "不会", "非")
# words holding a negator that do not negate what follows them
NON_NEGATING = ("不知道", "不好意思", "不行", "不得了", "不停", "不少", "不断", "受不了", "不住",
                "没人", "不清楚", "要不", "不然", "不要紧", "差不多", "不一定", "不对", "不好",
                "非常", "无论", "不管", "没法", "不能", "无法", "不到", "时有时无", "若有若无",
                "特别", "区别", "分别", "个别", "告别", "别人", "别的", "别家", "别处",
                # reassurance: 别慌 马上 转 110 hands the call off all the same
                "别慌", "别急", "别怕", "别着急", "别担心", "别紧张", "不要慌", "不要怕",
                "不要急", "不要着急", "不要紧张", "不用怕", "不用慌", "不用担心", "不用着急")
PAST = ("以前", "之前", "去年", "前年", "上次", "上回", "曾经", "那年", "小时候", "上个月",
        "上周", "上礼拜", "上星期", "上个礼拜", "上个星期", "上个周", "年前", "前些年", "早年",
        "那次", "当年", "那时候", "前两天", "前几天", "几天前", "两天前", "前天", "那会儿",
        "年轻时", "年轻那会", "有1年", "有一年")
# a past time that starts what still goes on (从上个月开始就停水) tells no past event
_ONGOING = re.compile(r"^[^|]{0,2}(开始|起|以来|到现在|到今天|至今)|"
                      r"^[^|]*(一直|现在|目前|至今|还在)")
HYPOTHETICAL = ("万一", "如果", "要是", "假如", "假设", "怕", "担心", "以防", "会不会", "的话",
                "容易", "随时可能", "以为", "当成", "误认为", "看成")
# a supposition or a story told reaches further: 假如说开车跟别人有点小剐蹭,
# 看新闻上说外地有个饭店燃气爆炸了
SUPPOSING = ("假如", "假设", "如果", "要是", "万一", "节目", "新闻", "电视上", "电视里", "视频里",
             "电影里", "报道", "小说", "电视剧", "剧里")
RESOLVED = ("没事了", "已经好了", "醒了", "醒过来", "缓过来", "救过来", "灭了", "扑灭", "没大碍",
            "已经修好", "已经恢复", "恢复了", "来了电", "来水了", "已经处理", "拉走了", "送走了",
            "送到医院", "送医院了", "住院了", "住在", "出院了", "原来是", "虚惊一场", "拉开了",
            "没伤着", "没受伤", "弄出来了", "救出来了")
_JOKE = re.compile(r"(骗你的|骗你们的|逗你玩|逗你们玩|开玩笑|开个玩笑|开了个玩笑|闹着玩|恶作剧|"
                   r"试试你们|试一下你们|测试一下你们|瞎说的|胡说的|乱说的)")


# "V不C" (进不来, 下不了): a verb's potential complement, not a negation of what follows
_COMPLEMENT = re.compile(
    r"(?<=[\u4e00-\u9fff])[不没](来|去|了|上|下|动|通|起|见|出|进|开|完|住|清|成|好|够)")


def _masked(text: str) -> str:
    text = _COMPLEMENT.sub(lambda m: "＿" * len(m.group()), text)
    for word in NON_NEGATING:
        if word in text:
            text = text.replace(word, "＿" * len(word))
    return text


def negated(text: str, start: int, window: int = 4) -> bool:
    """A negator within ``window`` characters before ``start`` (same turn)."""
    before = _masked(text[max(0, start - window - 4):start])[-window:]
    return any(word in before for word in NEGATORS)


def past(text: str, start: int, end: int, window: int = 20) -> bool:
    """The event is told as over: a past marker before it, or 过 attached (出过车祸)."""
    before = text[max(0, start - window):start]
    return any(_over(before, word) for word in PAST) or text[start - 1:start] == "过" \
        or text[end:end + 1] == "过"


def _over(before: str, word: str) -> bool:
    """``word`` occurs in ``before`` as the time of a finished event, not a start."""
    at = before.rfind(word)
    if at < 0:
        return False
    return before[at - 1:at] not in ("从", "自") and not _ONGOING.match(before[at + len(word):])


def hypothetical(text: str, start: int, window: int = 10) -> bool:
    """The event is only feared or supposed (万一掉下来砸着人)."""
    before = text[max(0, start - window):start]
    wider = text[max(0, start - 3 * window):start]
    return any(word in before for word in HYPOTHETICAL) or any(w in wider for w in SUPPOSING)


def resolved(text: str, end: int, window: int = 48) -> bool:
    """Told as over later in the same turn (现在人是没事了, 火已经灭了)."""
    return any(word in text[end:end + window] for word in RESOLVED)


def joking(caller_text: str) -> bool:
    """The caller says it was a joke (and does not deny joking: 不是开玩笑)."""
    return joke_end(caller_text) is not None


def joke_end(caller_text: str) -> int | None:
    """Where the caller's first admitted joke ends, None if there is none."""
    for match in _JOKE.finditer(caller_text):
        if not negated(caller_text, match.start(), window=3):
            return match.end()
    return None
