"""Request type (wuhai 5.4.1): what the caller says they call for, else what they do.

The caller usually names it (我要投诉, 想咨询一下, 提个建议, 我是来表扬的); a name the caller
denies (我不是来投诉的) does not count. Otherwise questions make a 咨询, a party's refusal
or failure a 投诉, and anything else asked of the hotline a 求助. A call with no content, a
wrong number or an admitted joke is 无效.
"""

import re

from tickets.drafting import modality
from tickets.drafting.cues import Lexicon
from tickets.drafting.fields import category
from tickets.drafting.transcript import Call
from tickets.enums import RefusalReason, RequestType

T = RequestType

# what callers say to name their request; weights favour the explicit words
NAMED = Lexicon.of({
    T.COMPLAINT: "投诉:6 要告:3 告状:3 反映:4 反应一下:3 反映一下:4 讨个说法:4 凭什么:4 "
                 "这不是欺负人:4 这不是坑人:4",
    T.REPORT: "举报:6 检举:6 揭发:6 举报一下:6 实名举报:6",
    T.SUGGESTION: "建议:5 提个建议:6 提建议:6 提个意见:4 提点意见:4 出个主意:4 希望政府:3 "
                  "提个想法:5 提点想法:5 有个想法:4",
    T.PRAISE: "表扬:6 点赞:5 送锦旗:6 锦旗:4 夸夸:5 表彰:4 感谢信:6 想感谢:5 "
              "感谢[^|]{0,8}(师傅|同志|医生|大夫|护士|民警|警官|工作人员|老师|干部|他们|单位):5 "
              "说[一]?声谢谢:5 道个谢:5 通过你们谢谢:5 (心意|谢意|感谢)转给:5 "
              "谢谢[^|]{0,12}(民警|警官|医生|大夫|护士|师傅|工作人员|小伙子|同志|老师):4",
    T.CONSULTATION: "咨询:6 咨询一下:6 资讯一下:5 想资讯:5 想问:3.5 "
                    "(我|俺|就|来|是|先)问(一下|问|下):3 问(一下|问)你们:3 请问:2 打听:3 "
                    "想了解:3 了解一下:2 问清楚:3",
    T.HELP: "求助:6 求求你们:4 帮帮忙:4 帮帮我:4 救救:4 请你们帮:4 麻烦你们帮:4",
})
# how the agent names the request back (您的建议我们转…): evidence, weaker than the caller's
AGENT_NAMED = Lexicon.of({
    T.SUGGESTION: "您的建议:3 这个建议:3 您提的建议:3 您的意见:3",
    T.COMPLAINT: "您的投诉:2.5 您投诉的:2.5",
    T.REPORT: "您的举报:3 您举报的:3",
    T.PRAISE: "您的表扬:3 您的感谢:3 您的肯定:3",
})
# what callers do when they name nothing
IMPLIED = Lexicon.of({
    T.CONSULTATION: "怎么办理:2 怎么申请:2 咋申请:2 怎么交:2 在哪办:2 在哪领:2 哪里办:2 "
                    "需要什么材料:2 要什么材料:2 什么时候:1 啥时候:1 几点:1 多少钱:1 "
                    "能不能享受:2 是不是:1 可以吗:1 能领吗:2 行吗:1 有没有:1 吗$:1 吗\\|:1 "
                    "怎么弄:1 咋弄:1 怎么查:2 上哪:1 找谁:1 在哪:1.5 告诉我:1.5 "
                    "(需要|要|带)[^|]{0,3}什么(东西|材料|手续|条件|证件):2.5 吗:0.8 多久:1 条件:1 "
                    "想知道:3 是否:1 要怎么:2 该怎么:2 怎么转:2",
    T.COMPLAINT: "不给退:3 不退:2 拒不退:3 不给修:3 不修:2 不给钱:2 一分钱也没给:3 没给:1 "
                 "拖欠:2 拖着:2 态度:2 扰民:3 乱收费:3 多收:2 加价:2 不认:2 不管:1 "
                 "不给彻底修:3 没人通知:1.5 无故:2 凭什么:2 太差:2 坑人:3 欺负:2 扣押:2 "
                 "不作为:3 推诿:3 停了:1 不让:1 强制:2 违规:1 过期:1.5 噪音:2 吵得:2 "
                 "欠[^|]{0,6}工资:3 影响(生意|经营|休息|学习|出行|通行|睡觉):2 假的:1 不赔:2 "
                 "不理赔:3 不履行:2 不执行:2 不公开:2 觉得不对:2 不合理:2 不公平:2 不服:2 "
                 "不给[^|]{0,2}办:3 不给:1.5 一直不:1 吵死了:3 太吵:2.5 不满意:2.5 半夜:1 "
                 "玩手机:3 看视频:2 白跑:3 凶我们:2 凶:1 跑路:3 人都跑了:3 要回钱:2 退钱:2 "
                 "没人修:2.5 刷视频:2 吵起来:2 不关[^|]{0,2}事:3 互相推:3 推来推去:3 "
                 "找不到人:2 打不通:1 年卡:1.5 没收到:1.5 电话也不接:2 牌子也摘了:3 "
                 "人影都没见:3 每次都说:2 就不管了:2.5 不回填:2",
    T.REPORT: "偷偷:2 非法:2 无证:2 私自:2 违法:2 涉嫌:2 假冒:2 假酒:2 偷排:3 违建:2 "
              "赌博:3 聚众:2 黑作坊:3 传销:3 囤:2 私拉:2 往河里排:3 排到河里:3 挪用:3 "
              "贪污:3 不要处方:3 卖处方药:2 拿去给他自己:3 私搭:2 "
              "有(人|户人家|个人|家人)在[^|]{0,6}(搭|盖|建|排|倒|烧|卖|收|囤|拉):2.5 拉客:2 "
              "不打表:3 黑车:3 转租:3 没有行医:3 无证行医:4 行医执照:2 牌子都没挂:3 "
              "没挂牌:2 偷偷摸摸:2",
    T.HELP: "帮我们:2 帮我:1 帮忙:2 能不能帮:3 请你们:2 赶紧:1.5 快点来:2 尽快:1 催一下:2 "
            "协调:2 处理一下:1.5 怎么办:1.5 急死了:2 没人管:1 救命:3 登不进去:2 打不通:1 "
            "派个人:3 派人:3 上门:2 来看看:2 不会弄:2 我也不会:2",
    T.SUGGESTION: "能不能增加:3 能不能在:2 能不能延长:3 希望能:2 最好能:2 可不可以:1 "
                  "多组织:2 增设:3 设立:2 设个:2 放宽:2 应该[^|]{0,2}(加|装|设|建|增加|修|多):3 "
                  "我觉得[^|]{0,10}应该:2 我觉得[^|]{0,10}可以:2.5 就好了:2.5 我的意思是:2 "
                  "能不能[^|]{0,6}(延|开到|多开|多加|加几|增设|修个|建个|办个|设个|再修|再建|"
                  "推广|补贴|放宽):3 (再|多)(修|建|设|加|开)[^|]{0,3}(个|一个|几):2 出点补贴:2 "
                  "能不能也(办|搞|建|设|开|修):3 能不能(搞|弄|办|建|设|开|修)(个|1个|一个):2.5",
})
# a request type someone else made (有人打你们热线投诉我们, 到底是谁投诉的): not the caller's
OTHERS = re.compile(r"(有人|别人|人家|谁)[^|我]{0,10}$")
# "帮我转一下" asks to be put through, not for help
_NOT_HELP = re.compile(r"帮[^|]{0,3}(转|记|查一下电话)")
# the caller's content once fillers and greetings are gone
_EMPTY = re.compile(r"(能听[见到]吗|听得[见到]吗|能听[见到]不|听不[见清到]|信号不好|"
                    r"[一待等]会[儿]?再打|再打过来|喂|你好|您好|嗯|啊|呃|哦|哎|那个|这个|就是|是|吧|在|了|的|说|呀|\||\s)")
WRONG_NUMBER = re.compile(r"(打错了|拨错了|打错电话|打错号|按错了|不小心打|不小心拨)")
# the agent tells a caller who wanted someone else where they are
NOT_US = re.compile(r"(您打错了|误拨|这里是[^|]{0,12}热线[^|]{0,2}不是|不是饭店|不是快递|"
                    r"不是[^|]{0,4}师傅)")
# the caller wants nothing: testing the line, chatting, a child playing
NO_REQUEST = re.compile(r"(没(啥|什么|有什么)(事|诉求|问题要)|就想[^|]{0,4}聊|陪我[^|]{0,2}聊|"
                        r"屁用|一帮废物|吃干饭|算了算了|我再想想|"
                        r"聊聊天|"
                        r"试试[^|]{0,8}(打通|打得通|能不能打|号码|电话)|你是机器人吗|你会唱歌|打赌)")
# a caller who only wants company
CHAT = re.compile(r"(闷得慌|跟你唠|唠唠|唠嗑|陪我[^|]{0,2}聊|聊聊天|就想[^|]{0,4}聊)")
# the agent tells the caller off for tying up the line
TIME_WASTING = re.compile(r"(请不要[^|]{0,4}(随意拨打|占用|骚扰|乱打|拨打这种)|不要占用热线|"
                          r"让家长来接|"
                          r"小朋友|谎报|恶意占用|请不要[^|]{0,8}开玩笑)")
# what a caller says after admitting a joke that makes it an aside, not the call
AFTER_JOKE_CONTENT = 10
# what a wish to stay unnamed adds to 举报: about two in three such calls report someone
ANONYMOUS_REPORT = 4.0
NO_VOICE = re.compile(r"(没有声音|没声音|听不到您|听不见您|收音机|电视的声音|背景声|没有人说话|"
                      r"听不清您|长时间没有)")


def is_invalid(call: Call) -> bool:
    """No content, a wrong number, dead air, or a joke the caller admits to."""
    caller = call.text("caller")
    if len(_EMPTY.sub("", caller)) < 6:
        return True
    joke = modality.joke_end(caller)
    if joke is not None and len(_EMPTY.sub("", caller[joke:])) < AFTER_JOKE_CONTENT:
        return True  # 着火了 骗你的: the joke was the call (not 叫救护车 开玩笑的 我是说 …)
    agent = call.text("agent")
    if WRONG_NUMBER.search(caller) or NOT_US.search(agent):
        return True
    if TIME_WASTING.search(agent) and not _named(call):
        return True  # the agent tells a prank or a chat off
    if CHAT.search(caller) and not _named(call):
        return True  # a lonely caller chatting, whatever the story is about
    if NO_REQUEST.search(caller) and not _named(call) and (
            joke is not None or max(category.scores(call).values()) < 3):
        return True  # nothing asked and no topic: 没什么事 in 人也没什么事 is about an injury
    return bool(NO_VOICE.search(agent)) and not _named(call) \
        and max(category.scores(call).values()) < 3


def _others(text: str, start: int) -> bool:
    """The named request is someone else's (有人投诉我们), not the caller's own."""
    return OTHERS.search(text[max(0, start - 12):start]) is not None


def _named(call: Call) -> RequestType | None:
    """The first request type the caller names and does not deny."""
    for found in call.hits(NAMED, "caller"):
        text, start = found.utterance.text, found.hit.start
        if modality.negated(text, start, window=4) or _others(text, start):
            continue
        label = RequestType(found.hit.cue.label)
        if label is T.SUGGESTION and text[max(0, start - 1):start] in ("你", "您"):
            continue  # 那你建议我怎么办: asks for advice
        return label
    return None


def classify(call: Call, emergency: bool, anonymous: bool) -> tuple[RequestType, float]:
    """The request type and a confidence (an emergency call is never invalid, however short);
    ``anonymous``: the caller asked not to be named (the draft's confidential field)."""
    if not emergency and is_invalid(call):
        return T.INVALID, 0.85
    scores: dict[RequestType, float] = dict.fromkeys(RequestType, 0.0)
    first = True
    for found in call.hits(NAMED, "caller"):
        text, start = found.utterance.text, found.hit.start
        if modality.negated(text, start, window=4) or _others(text, start):
            continue
        if found.hit.cue.label == T.SUGGESTION and text[max(0, start - 1):start] in ("你", "您"):
            continue
        scores[RequestType(found.hit.cue.label)] += found.hit.cue.weight + (1.5 if first else 0)
        first = False
    for found in call.hits(IMPLIED, "caller"):
        label = RequestType(found.hit.cue.label)
        text, start = found.utterance.text, found.hit.start
        if label is T.HELP and _NOT_HELP.match(text, start):
            continue
        if label is not T.CONSULTATION and modality.negated(text, start, window=2) \
                and not text.startswith(("能不能", "可不可以"), start):
            continue  # (a question is not negated by what ends the sentence before it)
        scores[label] += found.hit.cue.weight * 0.8
    for found in call.hits(AGENT_NAMED, "agent"):
        scores[RequestType(found.hit.cue.label)] += found.hit.cue.weight
    if emergency:
        scores[T.HELP] += 8
    if anonymous:
        scores[T.REPORT] += ANONYMOUS_REPORT  # who asks not to be named mostly reports someone
    best = max(scores, key=lambda t: scores[t])
    if scores[best] <= 0:
        return T.HELP, 0.4
    second = sorted(scores.values())[-2]
    return best, min(0.95, 0.5 + 0.06 * (scores[best] - second))


# What an agent records for a request refused on these grounds, unless the caller named it:
# a favour against the rules is asked for (求助); a matter pursued again through the hotline
# or already in the petition channel is complained of (投诉).
_REFUSED_AS = {RefusalReason.ILLEGAL: T.HELP, RefusalReason.LITIGATION: T.HELP,
               RefusalReason.PETITION: T.COMPLAINT, RefusalReason.REPEAT: T.COMPLAINT}
# named types the refusal does not override: a favour or a court case asked for is 求助
# unless complained of or reported; a matter pursued again is 投诉 even when "asked about"
_KEPT = {RefusalReason.ILLEGAL: frozenset({T.COMPLAINT, T.REPORT, T.SUGGESTION, T.PRAISE}),
         RefusalReason.LITIGATION: frozenset({T.COMPLAINT, T.REPORT, T.SUGGESTION, T.PRAISE}),
         RefusalReason.PETITION: frozenset({T.REPORT, T.SUGGESTION, T.PRAISE}),
         RefusalReason.REPEAT: frozenset({T.REPORT, T.SUGGESTION, T.PRAISE})}


def given_refusal(call: Call, kind: RequestType, reason: RefusalReason | None) -> RequestType:
    """The request type once the refusal reason is known."""
    if reason not in _REFUSED_AS:
        return kind
    named = _named(call)
    return kind if named in _KEPT[reason] else _REFUSED_AS[reason]
