"""Why the hotline does not accept a request (wuhai 5.3, DIGEST §1), when it does not.

The agent's refusal (不予受理, 不再受理) names the reason in the same breath; without one,
only what the caller says the matter already went through counts (法院已经判了, 信访局受理了),
never a threat to go there (我要去上访).
"""

import re

from tickets.drafting.cues import Lexicon
from tickets.drafting.transcript import Call
from tickets.enums import RefusalReason

R = RefusalReason

REFUSES = re.compile(r"(不予受理|不能受理|不再受理|不再重复受理|不受理|无法受理|不予办理|"
                     r"不属于[^|]{0,8}受理范围|热线[^|]{0,4}不能(帮|提供|受理)|我们不能提供|"
                     r"不能帮您|不能提供|无法提供|不便提供|不在[^|]{0,6}受理范围|不属于[^|]{0,6}(管辖|范围)|管辖范围|不再重复|"
                     r"重复来电|不重复受理|不重复办理|不重复登记|不重复派单|不能重复受理|"
                     r"不能协调|无法协调|不能帮您协调|不能帮您说情|没办法受理|没法受理|没法提供|"
                     r"没办法提供)")
REASONS = Lexicon.of({
    R.LITIGATION: "法院:3 起诉:3 诉讼:4 判决:3 判了:3 官司:3 仲裁:4 强制执行:3 司法程序:4 "
                  "行政复议:4 信息公开:2 已经立案:3 打官司:3 律师:1",
    R.PETITION: "信访:4 上访:4 信访局:4 信访办:4 信访渠道:5 信访程序:5 复查:2",
    R.SECRET: "秘密:4 军事:3 保密单位:3 隐私:3 个人信息:2 驻地:2 机密:4 军港:3 部队:2 "
              "国家秘密:5 商业秘密:5 军事秘密:5",
    R.REPEAT: "重复受理:5 重复派单:5 重复:2 上次:1.5 之前来电:3 已经答复过:3 已经反映过:3 "
              "反映过了:3 "
              "已经办结:3 和上次:3 又打来了:2 还是反映:2 不再重复:5 重复来电:5 正在处理中:2 "
              "还在处理:2",
    R.OUT_OF_JURISDICTION: "管辖:4 当地:2 外地:2 外省:3 不属于本市:5 不属于我市:5 异地:2 "
                           "当地的12345:5 本市以外:4 (拨打|打|联系)[^|]{0,8}的12345:4",
    R.ILLEGAL: "弄虚作假:5 假证明:4 不符合事实:4 违反规定:3 违规:3 通融:3 打个招呼:3 走后门:4 "
               "托关系:4 违法行为:2 违规消除:5 消了:2 开个证明:2 不实:3 认识你们领导:3 "
               "不符合[^|]{0,6}规定:3 不符合政策:3 违反政策:3 违法建设:3 违规办证:4 说情:3 "
               "阻止执法:4",
})
# the caller says the matter already went through another channel
ALREADY = re.compile(
    r"(法院[^|]{0,6}(判了|判决|受理|立案)|(已经|正在)[^|]{0,4}(起诉|打官司|仲裁|诉讼)|"
    r"(信访局|信访办|信访)[^|]{0,8}(受理|答复|登记|给了|回复)|(已经|去)[^|]{0,4}(上访|信访)[^|]{0,4}过)")


def classify(call: Call, invalid: bool) -> tuple[RefusalReason | None, float]:
    """The refusal reason, or None when the request is accepted."""
    if invalid:
        return None, 0.9
    agent = call.text("agent")
    refused = REFUSES.search(agent) is not None
    scores: dict[RefusalReason, float] = {}
    for side, weight in (("agent", 1.0), ("caller", 0.7)):
        for found in call.hits(REASONS, side):  # type: ignore[arg-type]
            reason = RefusalReason(found.hit.cue.label)
            scores[reason] = scores.get(reason, 0.0) + found.hit.cue.weight * weight
    if not scores:
        return None, 0.85 if not refused else 0.4
    best = max(scores, key=lambda r: scores[r])
    if refused and scores[best] >= 2:
        return best, min(0.9, 0.5 + 0.05 * scores[best])
    caller_already = ALREADY.search(call.text("caller"))
    if caller_already and best in (R.LITIGATION, R.PETITION) and scores[best] >= 4:
        return best, 0.6
    return None, 0.7
