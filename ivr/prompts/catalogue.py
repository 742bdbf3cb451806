"""Every prompt the IVR plays, by name, in Mandarin; ``hotline prompts build`` speaks them.

Numbers are written in characters: espeak-ng reads "12345" as a quantity (一万两千…).

A deployment replaces any prompt with a recording named ``<name>.<ext>`` in its override
directory. Names are file names: lower-case ASCII, digits and hyphens.
"""

from collections.abc import Mapping
from types import MappingProxyType

# Read digit by digit (ticket numbers): 1 is 幺 on the phone, so it is not heard as 七.
_DIGITS = ("零", "幺", "二", "三", "四", "五", "六", "七", "八", "九")
_UNITS = ("零", "一", "二", "三", "四", "五", "六", "七", "八", "九")


def cardinal(n: int) -> str:
    """0-99 as spoken: 十一, 二十, 三十一."""
    if not 0 <= n < 100:
        raise ValueError(f"only 0-99 are in the catalogue: {n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _UNITS[units]
    head = "十" if tens == 1 else _UNITS[tens] + "十"
    return head + ("" if units == 0 else _UNITS[units])


# The rating labels of every profile in tickets/policy/profiles.py (copied, never imported):
# shandong 满意/基本满意/不满意; tonghua 满意/比较满意/不满意 (第十九条); changzhi, wuhai,
# zhanjiang and default the five levels of 好差评 (国办发〔2019〕51号).
SCALE_LABELS: Mapping[str, str] = MappingProxyType({
    "scale-very-satisfied": "非常满意",
    "scale-satisfied": "满意",
    "scale-basically-satisfied": "基本满意",
    "scale-fairly-satisfied": "比较满意",
    "scale-unsatisfied": "不满意",
    "scale-very-unsatisfied": "非常不满意",
})

# What a caller following a ticket hears of its state (tickets' TicketState values, copied):
# the composition root's TicketLookup may use these labels; any other label is spoken by TTS.
STATE_LABELS: Mapping[str, str] = MappingProxyType({
    "draft": "正在登记",
    "accepted": "已受理",
    "reviewed": "已审核",
    "dispatched": "已派单",
    "returned": "退回处理中",
    "handling": "办理中",
    "suspended": "挂起办理",
    "replied": "已答复",
    "revisit": "待回访",
    "evaluated": "已评价",
    "closed": "已办结",
    "refused": "不予受理",
    "linked": "已并入此前工单",
    "merged": "已合并到其他工单办理",
})

_PROMPTS = {
    # main menu
    "welcome": "您好，欢迎致电幺二三四五政务服务便民热线。",
    "menu-main": "描述您的诉求请按一，查询工单办理进度请按二，企业服务专线请按三，"
                 "遇到火灾、急病、警情等紧急情况请按九，人工服务请按零。",
    # a greeting-only line (HOTLINE_IVR_MODE=greeting): no menu, an agent after this
    "greeting": "查询工单办理进度请按二，遇到火灾、急病、警情等紧急情况请按九，"
                "其他诉求请不要挂机，正在为您转接人工服务。",
    "menu-emergency": "火灾请按一，医疗急救请按二，治安报警请按三，"
                      "交通事故请按四，燃气泄漏请按五。",
    "to-emergency": "正在为您优先转接人工座席，请不要挂机。",
    "menu-invalid": "您的输入有误。",
    "menu-no-input": "没有收到您的选择。",
    "to-agent": "正在为您转接人工服务，请稍候。",
    "to-enterprise": "正在为您转接企业服务专线，请稍候。",
    "describe": "请在提示音后描述您的诉求，稍后将为您转接人工服务。",
    # a caller on the block list (zhanjiang 第九条: a limit of up to 30 days), before the hang-up
    "blocked": "您的号码因扰乱热线正常工作秩序，暂时被限制呼入，再见。",
    # following a ticket
    "follow-enter": "请输入工单编号，以井号键结束。",
    "follow-bad-number": "工单编号有误，请核对后重新输入。",
    "follow-not-found": "没有查到该工单，请核对后重新输入。",
    "follow-unavailable": "暂时无法查询工单，正在为您转接人工服务。",
    "follow-ticket": "工单",
    "follow-state": "当前状态：",
    "follow-due": "办理期限：",
    "follow-no-due": "暂无办理期限。",
    "follow-overdue": "已超过办理期限。",
    # after the state the IVR ends the call itself (the caller asked for no agent): GB/T 33358
    # counts such a call neither offered nor abandoned, and no callback is owed for it
    "follow-done": "如需人工服务请按零。",
    "follow-goodbye": "感谢您的来电，再见。",
    "year": "年",
    "month": "月",
    "day": "日",
    # the revisit survey
    "revisit-intro": "您好，这里是幺二三四五政务服务便民热线回访。",
    "revisit-ticket": "关于您的工单",
    "revisit-summary": "您反映的问题是：",
    "revisit-rate": "请您对办理结果进行评价：",
    "revisit-no-call": "如不希望再接到回访电话，请按九。",
    "revisit-solved": "您反映的问题是否已经解决？已解决请按一，未解决请按二。",
    "revisit-you-chose": "您的评价是：",
    "revisit-solved-yes": "问题已解决。",
    "revisit-solved-no": "问题未解决。",
    "revisit-no-call-noted": "今后不再为此工单给您打回访电话。",
    "revisit-confirm": "确认请按一，重新评价请按二。",
    "revisit-invalid": "您的输入有误。",
    "revisit-thanks": "感谢您的评价，再见。",
    "revisit-sorry": "抱歉，本次回访无法完成，打扰您了，再见。",
    "revisit-unknown": "抱歉，没有找到本次回访的信息，打扰您了，再见。",
}


def _catalogue() -> dict[str, str]:
    prompts = dict(_PROMPTS)
    prompts |= {f"digit-{d}": _DIGITS[d] for d in range(10)}  # ticket numbers, digit by digit
    prompts |= {f"number-{n}": cardinal(n) for n in range(32)}  # years (digit-wise), days
    prompts |= {f"press-{k}": f"请按{_UNITS[k]}" for k in range(1, 10)}  # "<label> 请按 k"
    prompts |= dict(SCALE_LABELS)
    prompts |= {f"state-{state}": label for state, label in STATE_LABELS.items()}
    return prompts


CATALOGUE: Mapping[str, str] = MappingProxyType(_catalogue())
# Tones are made with sox, not spoken: name -> (frequency Hz, seconds).
TONES: Mapping[str, tuple[int, float]] = MappingProxyType({"tone": (1000, 0.4)})


def by_text(catalogue: Mapping[str, str] = CATALOGUE) -> dict[str, str]:
    """Text -> name, to play a label (a state, a rating) that has a prompt of its own."""
    found: dict[str, str] = {}
    for name, text in catalogue.items():
        found.setdefault(text.strip("：。，"), name)
    return found
