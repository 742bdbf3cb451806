"""Emergencies: 110 police, 119 fire, 120 ambulance, 122 traffic police, and utility outages.

What the caller tells counts only when asserted (not negated, past, supposed, resolved or a
joke). A utility outage is an emergency when it hits an area, not one household; a gas leak
is one whenever it is told, and with fire it is 119's.
"""

import re
from dataclasses import dataclass

from tickets.drafting import modality
from tickets.drafting.cues import Lexicon, words
from tickets.drafting.draft import LIFE_THREATENING, Emergency
from tickets.drafting.transcript import Call

E = Emergency
THRESHOLD = 3.0
# The gap inside a pattern (燃气 … 漏) may not hold a negator: 燃气公司不是漏气 is no leak.
GAP = "(?:(?!不是|没有|没|别)[^|])"


def _gapped(groups: dict[Emergency, str]) -> dict[str, str]:
    """The groups with every ``[^|]{m,n}`` gap made negator-free."""
    return {kind.value: cues.replace("[^|]{", GAP + "{") for kind, cues in groups.items()}


# which wins a tie: fire before crime before injury, life before traffic before utilities
PRIORITY = (E.FIRE, E.POLICE, E.AMBULANCE, E.GAS, E.TRAFFIC, E.WATER, E.POWER, E.HEATING,
            E.NETWORK)

EVENTS = Lexicon.of(_gapped({
    E.POLICE: "抢劫:3 抢包:3 抢钱:3 抢手机:3 包抢了:3 打劫:3 持刀:3 拿刀:3 拿着刀:3 砍人:3 被砍:3 "
              "捅人:3 捅了:3 杀人:3 绑架:3 劫持:3 撬门:3 撬锁:3 撬开:3 入室:3 闯进:3 砸门:2 "
              "家暴:3 打老婆:3 打媳妇:3 打妻子:3 打孩子:2 打人:2 打起来了:3 打架:2 斗殴:3 "
              "群殴:3 救命:2 跳楼:3 要跳:2 轻生:3 自杀:3 偷东西:2 小偷:2 性侵:3 猥亵:3 "
              "拐卖:3 抢孩子:3 报警(?!器|装置|系统|了):3 报个警:4 要报警:4 报警了:1 报了警:1 "
              "报案:2 派警察:3 叫警察:3 "
              "刚被骗:2 持枪:3 在打架:3 砸[^|]{0,4}门:2.5 偷[^|]{0,3}(车|电动车|东西|钱):2.5 "
              "被人打:3 打伤:3 孩子丢了:3 孩子不见了:3 走丢了:3 跳河:3 闹事:2 跟踪:2 "
              "砸东西:1.5 威胁:1.5 偷车:2 拿着(棍子|棒子|砍刀|刀|铁棍|钢管|铁锹):3 "
              "追[^|]{0,4}(人|砍|打)[^|]{0,2}:1.5 弄死:2.5 打死:2.5 砍死:3 安全账户:3 "
              "正在被骗:3 被骗[^|]{0,4}转钱:3 喊救命:3 整死:2.5 撬[^|]{0,6}(门|锁):3",
    E.FIRE: "着火:3 起火:3 失火:3 火灾:3 火警:3 烧起来:3 烧着了:3 着起来了:3 火很大:3 "
            "大火:3 火势:3 爆炸:3 炸了:2 消防车(?!通道|道):3 叫消防:3 救火:3 浓烟:2 黑烟:1 "
            "冒烟:1.5 冒烟了:2.5 火苗:2.5 烧了:1.5 烟很大:2 短路:1 电线[^|]{0,4}(冒火|冒烟|着):3 "
            "(着|起|失)了[^|]{0,2}火:3 烧得[^|]{0,2}(好大|很大|厉害):2.5 烧焦:1.5 "
            "门缝[^|]{0,4}冒烟:3",
    E.AMBULANCE: "晕倒:3 昏倒:3 昏迷:3 倒在地上:3 倒地:3 叫不醒:3 没反应:2 不答应:1.5 "
                 "不省人事:3 没呼吸:3 没有呼吸:3 没气了:3 抽搐:3 口吐白沫:3 发紫:1.5 "
                 "好多血:3 很多血:3 大出血:3 流血:2 骨折:2 摔下来:2 摔伤:2 坠落:2 重伤:3 "
                 "烫伤:2 烧伤:2 中毒:3 喝了农药:3 吃错药:2 溺水:3 落水:2 快不行了:3 "
                 "胸口疼:1.5 胸痛:1.5 心脏病:2 喘不上气:1.5 呼吸困难:2 中风:3 脑梗:2 "
                 "救护车:4 急救(?!培训|知识|箱|包|设备|常识|课):3 要生了:3 羊水破了:3 受伤了:2 "
                 "头磕破:2 磕破了:1.5 不动了:2 倒下:2.5 躺在地上:2.5 晕了:2.5 人不行了:3 "
                 "浑身是血:3 满脸是血:3 摔断:3 腿断了:3 中暑:3 一氧化碳:3 犯病:2 发病:2 "
                 "晕过去:3 昏过去:3 没意识:3 没有意识:3 吐血:3 血流不止:3 休克:3 摔倒了:1.5 "
                 "起不来:1.5 脑溢血:3 心梗:3 喘不过气:2 被车撞:2 割腕:3 割伤:2 触电:3 "
                 "出血了:2.5 (怀孕|孕妇|怀着)[^|]{0,14}(疼|出血|见红|破水):3 误服:3 "
                 "吃了[^|]{0,8}药[^|]{0,4}(大半瓶|一瓶|半瓶|好多|1瓶):3 迷迷糊糊:1.5",
    E.TRAFFIC: "车祸:3 撞车:3 相撞:3 追尾:3 车[^|]{0,6}刮了:2.5 剐蹭:3 刮蹭:3 交通事故:3 "
               "出事故:2 翻车:3 "
               "(车|三轮|摩托)[^|]{0,2}翻了:3 卡到[^|]{0,6}底下:3 横在[^|]{0,2}(路|道)中间:1.5 "
               "车[^|]{0,6}撞[^|]{0,4}(了|上):3 "
               "侧翻:3 撞到人:3 撞人:2 交警:1.5 定责:2 挪车:1 撞了:2 车翻了:3 被车撞:2 "
               "车[^|]{0,6}撞[了上到]:3",
    # 漏气 alone may be a tyre: it needs gas, a smell or the hiss around it
    E.GAS: "漏气:1.5 泄漏:2 煤气味:3 燃气味:3 天然气味:3 嘶嘶:1.5 "
           "(煤气|燃气|然气|燃起|天然气|液化气)[^|]{0,8}(漏|泄|味):3 燃气管[^|]{0,4}(断|破|裂):3 "
           "漏气[^|]{0,8}(味|嘶嘶|声音):1.5 (天然气|燃气|煤气)[^|]{0,4}(没了|停了|断了|没有了):3 "
           "(煤气|燃气|然气|天然气)(管|管子|管道)[^|]{0,6}(断|破|裂|漏):3 呲呲:1.5 冒气:1.5 "
           "臭鸡蛋味:3",
    E.WATER: "停水:3 没水(?!浇|灌|种):3 没有水(?!浇|灌|种):3 断水:3 不来水:3 水停了:3 "
             "自来水[^|]{0,4}停:3 (一|1)滴水[^|]{0,3}(都|也)没:3 没水用:3 "
             "(水龙头|自来水|出来的水)[^|]{0,8}(是黄的|发黄|浑浊|怪味|异味|发臭):3 "
             "爆管:3 水管[^|]{0,4}(爆|裂|破):3 "
             "(?<!供暖)(?<!供热)(?<!暖气)(?<!热力)管道[^|]{0,3}爆:3",
    E.POWER: "停电:3 没电(?!梯|话|脑|视|瓶|车|动车|池):3 断电:3 电停了:3 "
             "没有电(?!梯|话|脑|视|瓶|车|动车|池):3 都黑了:2 "
             "变压器[^|]{0,4}(坏|烧|炸):3 电线[^|]{0,6}(断|掉|落地|垂):3",
    E.HEATING: "停暖:3 没暖气:3 不供暖:3 (暖气|暖器|暖期)[^|]{0,8}(不热|不暖|停|凉|冰|没有):3 "
               "(供暖|供热)[^|]{0,3}(中断|停):3 暖气管[^|]{0,4}(爆|裂|漏):3 "
               "(供暖|供热|暖气|热力)(管道|管网|管线|管子|主管)[^|]{0,4}(爆|裂|漏|破):3",
    E.NETWORK: "没信号:3 没有信号:3 (没得|莫得)信号:3 信号[^|]{0,3}(中断|断|没):3 断网:3 网断:3 "
               "网络[^|]{0,4}(中断|断|瘫):3 (宽带|款待)[^|]{0,6}(断|不通):3 上不了网:3 "
               "光缆[^|]{0,12}断:3 网[^|]{0,2}断了:3 通信中断:3 电话[^|]{0,2}打不出去:1",
}))

# the agent hands off: the strongest single sign of what the call is
_CODES = {"110": E.POLICE, "119": E.FIRE, "120": E.AMBULANCE, "122": E.TRAFFIC}
# 转交警, 转公安, 转消防 also route ordinary tickets to those departments: not hand-offs
_EXTRA = {"110": "出警:4", "119": "", "120": "转急救:5 转接急救:5 派救护车:4", "122": ""}
# urgent words before the service's name: the agent hands off without saying the number
# (尽快转公安部门处理 routes an ordinary report: 尽快 and 公安 are not hand-off words)
_URGENT = "(马上|立即|立刻|赶紧|同步)[^|0-9]{0,6}(通知|联系|转接|转)[^|0-9]{0,4}"
# put through to a service whose number was half heard (转 一 一 民警: its 零 lost)
_PUT_THROUGH = "(转|转接|接通|帮您接|给您接)[^|0-9]{0,2}1[0-9]?"
_SERVICES = {"110": "(辖区)?(警方|派出所|民警|警察)", "119": "消防", "120": "(急救|救护车)",
             "122": "交警"}
HANDOFF = Lexicon.of({
    code: f"(转|转接|接通|联系|通知|呼叫|帮您接|给您接|马上接)[^|0-9]{{0,4}}{code}:5 拨打{code}:2 "
          f"打{code}:2 (立即|马上|赶紧|赶快|快)[^|0-9]{{0,3}}(拨打|打|报){code}:5 "
          f"{code}急救:5 {code}交警:5 {_URGENT}{_SERVICES[code]}:4 {_EXTRA[code]} "
          f"{_PUT_THROUGH}{_SERVICES[code]}:4"
    for code in _CODES
})
# after the event: a crash or an injury argued over with insurers, a fee, a court
AFTERMATH = re.compile(r"(理赔|保险公司|赔偿|赔钱|医药费|判决|法院|定损|收费|费用|太贵|不赔|"
                       r"罚单|罚款|违停|扣分|扣了[^|]{0,3}分|处罚|复议|申诉)")
# a drill, a training or the rules asked about: nothing burns
DRILL = re.compile(r"(演练|演习|消防培训|消防知识|消防检查|防火检查|安全培训)")
# a planned or future cut asked about is no outage now
PLANNED = re.compile(r"((?<!没)(?<!没贴)(?<!没有)(?<!没发)(停电|停水|停气|停暖)(通知|计划|公告)|"
                     r"(计划|检修|明天|后天|下周)[^|]{0,6}"
                     r"(停电|停水|停气|停暖)|是不是要(停电|停水))")

PRAISE = re.compile(r"(?<!不是来)(表扬|锦旗|点赞|感谢信|想感谢|要感谢|说[一]?声谢谢)")
# the agent passes thanks on: the help came, the call is praise
THANKS_PASSED_ON = re.compile(r"(您的感谢|您的表扬|您的肯定)")
UTILITIES = frozenset({E.WATER, E.POWER, E.HEATING, E.NETWORK})
RESOLVABLE = frozenset({E.AMBULANCE, E.FIRE, E.POLICE, E.GAS})
LEAK = re.compile(r"(漏|泄|味|嘶嘶|呲呲|冒气|破|裂)")
AREA = words("""
    全村 整个 整片 一片 这一片 全小区 整栋 整条 一整条 全镇 全乡 全楼 附近都 周围 周边 好几个
    几个小区 全市 全县 整个村 一条街 户都 多户 家都没 都没水 都没电 都没有水 都没有电 都没暖气
    都没信号 都停 都断 我们小区 我们村 我们楼 我们这片 我们厂 厂区 全村都 全楼都 整栋楼
    1条街 好多户 几百户 百户 好多人家 好几栋 几栋楼
""")  # "一 条 街" reaches drafting as 1条街 (一 before 条 is read as a number)
SINGLE_CUT = re.compile(r"(把|给)我(家|们家)的?(水|电|气|暖气|网)")
SINGLE = words("""
    就我家 只有我家 就我们家 就我们店 就我们 别人家都有 邻居家都 其他人家都 别人家都 就我一家
    只有我们 邻居家都好好的 别家都有
""")


@dataclass(frozen=True)
class Finding:
    """The emergency drafting sees, if any, with its score per kind."""

    emergency: Emergency | None
    confidence: float
    scores: dict[Emergency, float]


def _asserted(text: str, start: int, end: int, kind: Emergency) -> bool:
    if modality.negated(text, start) or modality.past(text, start, end):
        return False
    if modality.hypothetical(text, start):
        return False
    # told as over (送到医院了, 拉开了, 原来是对门炸东西): the services need not come
    return not (kind in RESOLVABLE and modality.resolved(text, end))


def detect(call: Call) -> Finding:
    """The emergency of ``call`` (None when there is none)."""
    caller_text = call.text("caller")
    scores: dict[Emergency, float] = dict.fromkeys(Emergency, 0.0)
    if modality.joking(caller_text) or PRAISE.search(caller_text) \
            or THANKS_PASSED_ON.search(call.text("agent")):
        return Finding(None, 0.9, scores)  # a joke, or thanks for help that came
    heard: dict[Emergency, float] = {}  # the recogniser's least confidence in each kind's words
    for found in call.hits(EVENTS, "caller"):
        kind = Emergency(found.hit.cue.label)
        if _asserted(found.utterance.text, found.hit.start, found.hit.end, kind):
            scores[kind] += found.hit.cue.weight
            heard[kind] = min(heard.get(kind, 1.0),
                              found.utterance.confidence(found.hit.start, found.hit.end))
    handed_off: set[Emergency] = set()
    for found in call.hits(HANDOFF, "agent"):
        if not modality.negated(found.utterance.text, found.hit.start, window=3) \
                and not _advice(found.utterance.text, found.hit.start, found.hit.cue.weight):
            kind = _CODES[found.hit.cue.label]
            scores[kind] += found.hit.cue.weight
            if found.hit.cue.weight >= 4:
                handed_off.add(kind)
    if AFTERMATH.search(caller_text):  # a crash or injury now argued over: no longer urgent
        for kind in (E.AMBULANCE, E.TRAFFIC):
            if kind not in handed_off:
                scores[kind] = 0.0
    area = any(word in caller_text for word in AREA)
    single = any(w in caller_text for w in SINGLE) or bool(SINGLE_CUT.search(caller_text))
    planned = bool(PLANNED.search(caller_text))
    # gas that stopped (not a leak) is an outage like the others: an area's, not a flat's
    outages = UTILITIES | ({E.GAS} if not LEAK.search(caller_text) else set())
    for kind in outages:
        if scores[kind] and (planned or single or not area) and not _burst(caller_text, kind):
            scores[kind] = 0.0
    if DRILL.search(caller_text) and E.FIRE not in handed_off:
        scores[E.FIRE] = 0.0
    if scores[E.FIRE] >= THRESHOLD:
        scores[E.GAS] = 0.0  # a gas leak that burns is the fire brigade's
    best = max(PRIORITY, key=lambda kind: (scores[kind], -PRIORITY.index(kind)))
    if scores[best] < THRESHOLD:
        return Finding(None, 0.9 if scores[best] == 0 else 0.6, scores)
    runner_up = max(score for kind, score in scores.items() if kind != best)
    confidence = min(0.99, 0.6 + 0.08 * (scores[best] - runner_up))
    return Finding(best, confidence * (0.5 + 0.5 * heard.get(best, 1.0)), scores)


ALTERNATIVE_CONFIDENCE = 0.6  # an emergency only an alternative hearing tells: to be checked


def detect_heard(call: Call) -> Finding:
    """The emergency of ``call`` as heard, or as any of the recogniser's alternatives hear it
    when that is graver (missing a fire costs more than a false alarm the agent cancels)."""
    best = detect(call)
    if best.emergency in LIFE_THREATENING:
        return best
    for rank in range(1, call.alternatives() + 1):
        other = detect(call.alternative(rank))
        if other.emergency is not None and (
                best.emergency is None or other.emergency in LIFE_THREATENING):
            return Finding(other.emergency, min(other.confidence, ALTERNATIVE_CONFIDENCE),
                           other.scores)
    return best


def _advice(text: str, start: int, weight: float) -> bool:
    """The agent only mentions the number as an option (可以拨打122), handing nothing off."""
    return weight < 4 and ("可以" in text[max(0, start - 4):start]
                           or modality.hypothetical(text, start))


def _burst(text: str, kind: Emergency) -> bool:
    """A burst main or a fallen line endangers the street even without an area word."""
    if kind is E.WATER:
        return "爆" in text and "管" in text
    if kind is E.POWER:
        return "电线" in text or "变压器" in text
    return False
