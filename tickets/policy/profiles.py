"""The five jurisdictions' rules as data, plus the platform default.

Every number carries the article of the full text it comes from (``/work/shared/regulations``).
Where a text is silent the platform default applies: the strictest neighbour among the five,
cited as ``default (strictest: <article>)``. When several neighbours tie, the first in the
order shandong, tonghua, changzhi, wuhai, zhanjiang is cited. Silent fields reuse the
``_D_*`` values of the default profile, so a profile and the default never drift apart.

A rule object holding several numbers has one ``article``; when those numbers come from
different places the article lists them as ``<own article>; <fields>: default (strictest: …)``.
"""

from collections.abc import Mapping
from types import MappingProxyType

from tickets.enums import RefusalReason, RequestType, Urgency
from tickets.policy.schema import (
    EvaluationRule,
    ExtensionRule,
    IntakeRule,
    KnowledgeRule,
    Period,
    PeriodUnit,
    Policy,
    ReturnRule,
    SupervisionRule,
    SuspensionRule,
)

# --- helpers -----------------------------------------------------------------------------


def wd(amount: int, article: str) -> Period:
    """``amount`` working days (0: the same day)."""
    return Period(amount, PeriodUnit.WORKING_DAYS, article)


def nd(amount: int, article: str) -> Period:
    """``amount`` natural days."""
    return Period(amount, PeriodUnit.NATURAL_DAYS, article)


def hours(amount: int, article: str) -> Period:
    """``amount`` hours, counted from the instant itself."""
    return Period(amount, PeriodUnit.HOURS, article)


def dflt(*articles: str) -> str:
    """Citation for a value borrowed from the strictest neighbour."""
    return f"default (strictest: {', '.join(articles)})"


def by_type(
    *,
    consultation: Period,
    seek_help: Period,
    complaint: Period,
    report: Period,
    suggestion: Period,
    praise: Period,
) -> Mapping[RequestType, Period]:
    """Handling periods for every dispatchable type (无效 is never dispatched)."""
    return MappingProxyType(
        {
            RequestType.CONSULTATION: consultation,
            RequestType.HELP: seek_help,
            RequestType.COMPLAINT: complaint,
            RequestType.REPORT: report,
            RequestType.SUGGESTION: suggestion,
            RequestType.PRAISE: praise,
        }
    )


def same_for_all(period: Period) -> Mapping[RequestType, Period]:
    """One period for every dispatchable type."""
    return by_type(
        consultation=period, seek_help=period, complaint=period, report=period,
        suggestion=period, praise=period,
    )


def urgent_both(period: Period) -> Mapping[Urgency, Period]:
    """The same period for 紧急 and 非常紧急."""
    return MappingProxyType({Urgency.URGENT: period, Urgency.VERY_URGENT: period})


def refusals(*pairs: tuple[RefusalReason, str]) -> Mapping[RefusalReason, str]:
    """Refusal reasons a profile admits, each with its article."""
    return MappingProxyType(dict(pairs))


R = RefusalReason

# --- articles quoted more than once ------------------------------------------------------

SD_15 = "shandong 第十五条"  # 5 WD (citizens), 15 WD (enterprises), extension ≤10 WD, return 2 WD
TH_15 = "tonghua 第十五条"  # same-day dispatch; return within 2 WD, late return = overdue
TH_16 = "tonghua 第十六条"  # 5 WD; 12 h urgent; extension rules
TH_29_6 = "tonghua 第二十九条(六)"  # second 不满意 -> investigation
TH_29_7 = "tonghua 第二十九条(七)"  # same matter 3 months running -> accountability
WH_641 = "wuhai 6.4.1"  # extension ≤5 WD; suspension ≤90 natural days
WH_642 = "wuhai 6.4.2"  # 应急类 2 h; general 5 WD
ZJ_10 = "zhanjiang 第十条"  # return within 2 WD; clock restarts / keeps first receipt
ZJ_11 = "zhanjiang 第十一条"
ZJ_15 = "zhanjiang 第十五条"  # 好差评; one re-handling; same period; second rating counts
ZJ_18 = "zhanjiang 第十八条"
ZJ_18_2 = "zhanjiang 第十八条(二)"
PLATFORM = "platform default"

THREE_LEVELS = ("满意", "基本满意", "不满意")
# zhanjiang 第十五条 names 好差评 and its two bad levels; the five levels are the national
# 好差评 scale (国办发〔2019〕51号), which the text does not spell out.
FIVE_LEVELS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")

TONGHUA_AFTER_LIMIT = (
    "the unit reports directly to the government leader in charge, who calls a special "
    "coordination meeting (由政府分管领导召开专题协调会议予以解决)"
)

# --- platform default values (the strictest neighbour) ----------------------------------

# 表扬 (praise, wuhai 5.4.1 f)) is forwarded to the unit praised. No text gives it a period of
# its own, so every profile gives it the suggestion period; where a text has one period for
# all ordinary requests (shandong 第十五条, tonghua 第十六条, wuhai 6.4.2) that period covers it.

_D_HANDLING = by_type(
    consultation=wd(2, dflt("zhanjiang 第十一条(一)")),
    seek_help=wd(5, dflt(SD_15)),
    complaint=wd(5, dflt(SD_15)),
    report=wd(5, dflt(SD_15)),
    suggestion=wd(5, dflt(SD_15)),
    praise=wd(5, dflt(SD_15)),  # praise takes the suggestion period
)
# wuhai 6.4.4 calls 应急类 tickets "紧急工单", so the 2 hours cover 紧急 and 非常紧急 alike.
_D_URGENT = urgent_both(hours(2, dflt(WH_642)))
_D_REVIEW = wd(0, dflt(TH_15))  # same day
_D_RETURNS = ReturnRule(
    window=wd(2, dflt(SD_15)),
    late_return_counts_overdue=True,  # tonghua 第十五条
    accepted_restarts_clock=True,  # zhanjiang 第十条
    refused_keeps_first_receipt=True,  # zhanjiang 第十条
    article=dflt(SD_15, TH_15, ZJ_10),
)
_D_MIN_LEAD = nd(1, dflt(TH_16))  # "办理期满前1日": the text says 日, not 工作日
_D_EXTENSION = ExtensionRule(
    max_count=1,  # wuhai 6.4.1: extension "一般不超过5个工作日" in all, i.e. one extension
    length=wd(5, dflt(WH_641)),
    min_lead=_D_MIN_LEAD,
    leader_signoff_from=2,  # tonghua 第十六条; moot while max_count is 1
    after_limit=TONGHUA_AFTER_LIMIT,
    article=dflt(WH_641, TH_16),
)
_D_SUSPENSION = SuspensionRule(max_period=nd(90, dflt(WH_641)), article=dflt(WH_641))
_D_EVALUATION = EvaluationRule(
    scale=FIVE_LEVELS,
    satisfied=frozenset({"非常满意", "满意", "基本满意"}),
    unsatisfied=frozenset({"不满意", "非常不满意"}),
    max_rehandles=1,
    rehandle_keeps_original_period=True,
    last_evaluation_counts=True,
    second_unsatisfied_investigation=True,  # tonghua 第二十九条(六)
    article=dflt(ZJ_15, TH_29_6),
)
_DUE_SOON = wd(1, PLATFORM)
_D_SUPERVISION = SupervisionRule(
    # shandong 第十八条(一): an overdue ticket is supervised at once, no phone round first.
    phone_reminders_before_supervision=0,
    due_soon=_DUE_SOON,
    repeat_months_accountability=3,
    article=dflt("shandong 第十八条(一)", TH_29_7),
)
_D_KNOWLEDGE = KnowledgeRule(
    new_policy_lead_min=wd(3, dflt(ZJ_18_2)),
    new_policy_lead_max=wd(10, dflt(ZJ_18_2)),
    correction=wd(2, dflt(ZJ_18)),
    article=dflt(ZJ_18),
)
_D_HARASSMENT_BLOCK = nd(30, dflt("zhanjiang 第九条"))

_NOTE_ENTERPRISE = "enterprise: no separate period; the type's own (shorter) period applies"
_NOTE_RETURN_FLAGS = (
    "returns: late return counts as overdue (tonghua 第十五条); accepted return restarts the "
    "clock, refused return keeps the first receipt (zhanjiang 第十条)"
)

# The regulation is silent on menus: the platform's short menu (describe first, so the agent
# picks up a drafted ticket), GB/T 33358's five keys at most.
_MENU_INTAKE = IntakeRule(
    greeting_only=False,
    article="silent: the platform's short menu (GB/T 33358: shallow; 0 is always a person)",
)

# --- 山东省 -------------------------------------------------------------------------------

shandong = Policy(
    name="shandong",
    title="山东省12345政务服务便民热线管理办法",
    document="鲁政办字〔2021〕126号",
    # 第十五条 gives one period for every citizen request; praise is included.
    handling=same_for_all(wd(5, SD_15)),
    enterprise=wd(15, SD_15),
    urgent=_D_URGENT,
    review=_D_REVIEW,
    review_required=False,
    returns=ReturnRule(
        window=wd(2, SD_15),
        late_return_counts_overdue=True,
        accepted_restarts_clock=True,
        refused_keeps_first_receipt=True,
        article=f"{SD_15}; flags: {dflt(TH_15, ZJ_10)}",
    ),
    extension=ExtensionRule(
        max_count=1,  # "延期时限一般不超过10个工作日": 10 WD in all, so a single extension
        length=wd(10, SD_15),
        min_lead=_D_MIN_LEAD,
        leader_signoff_from=2,
        after_limit=TONGHUA_AFTER_LIMIT,
        article=f"{SD_15}; lead, sign-off, after limit: {dflt(TH_16)}",
    ),
    suspension=_D_SUSPENSION,
    evaluation=EvaluationRule(
        scale=THREE_LEVELS,  # 第十六条 names only 不满意; the other two follow DIGEST §5
        satisfied=frozenset({"满意", "基本满意"}),
        unsatisfied=frozenset({"不满意"}),
        max_rehandles=1,
        rehandle_keeps_original_period=True,
        last_evaluation_counts=True,
        second_unsatisfied_investigation=True,
        article=(
            f"shandong 第十六条; re-handling limits: {dflt(ZJ_15)}; investigation: {dflt(TH_29_6)}"
        ),
    ),
    supervision=SupervisionRule(
        phone_reminders_before_supervision=0,
        due_soon=_DUE_SOON,
        repeat_months_accountability=3,
        article=f"shandong 第十八条(一); repeat months: {dflt(TH_29_7)}",
    ),
    knowledge=_D_KNOWLEDGE,
    refusal_reasons=refusals(
        (R.LITIGATION, "shandong 第三条(一)"),
        (R.PETITION, "shandong 第三条(一)"),
        (R.SECRET, "shandong 第三条(三)"),
        (R.EMERGENCY, "shandong 第四条"),  # non-emergency only; linked with 110/119/120/122
        (R.HARASSMENT, "shandong 第二十六条"),
        (R.ILLEGAL, "shandong 第三条(二)"),
        (R.REPEAT, "shandong 第十三条"),  # tell the requester the earlier result
    ),
    harassment_block=None,  # 第二十六条: handed to the competent authorities instead
    intake=IntakeRule(greeting_only=True, article="shandong 第十二条 (24小时全时段人工服务)"),
    notes=(
        "7×24 human service (shandong 第十二条)",
        "a return states the reason and a suggested unit (shandong 第十五条)",
        "extension only for particularly complex matters (shandong 第十五条)",
        "unsatisfied and reasonable: may go back to the unit (shandong 第十六条)",
        "units check non-acceptable requests, explain to the requester (shandong 第十四条)",
        _NOTE_RETURN_FLAGS,
    ),
)

# --- 通化市 -------------------------------------------------------------------------------

tonghua = Policy(
    name="tonghua",
    title="通化市政务服务便民热线管理规定（试行）",
    document="通市政办发〔2021〕7号",
    # 第十六条 "一般事项 … 5个工作日": every ordinary ticket, praise included.
    handling=same_for_all(wd(5, TH_16)),
    enterprise=None,
    # "紧急、突发事项 … 原则上在12小时内反馈": both urgency levels.
    urgent=urgent_both(hours(12, TH_16)),
    review=wd(0, TH_15),  # 当日派清
    review_required=False,
    returns=ReturnRule(
        window=wd(2, TH_15),
        late_return_counts_overdue=True,
        accepted_restarts_clock=True,
        refused_keeps_first_receipt=True,
        article=f"{TH_15}; clock flags: {dflt(ZJ_10)}",
    ),
    extension=ExtensionRule(
        max_count=2,
        length=wd(5, TH_16),
        min_lead=nd(1, TH_16),  # "办理期满前1日": 日, where the same article says 工作日 elsewhere
        leader_signoff_from=2,
        after_limit=TONGHUA_AFTER_LIMIT,
        article=TH_16,
    ),
    suspension=_D_SUSPENSION,
    evaluation=EvaluationRule(
        scale=("满意", "比较满意", "不满意"),  # 第十九条 says 比较满意, not 基本满意
        satisfied=frozenset({"满意", "比较满意"}),  # 第十九条: either closes the ticket
        unsatisfied=frozenset({"不满意"}),
        # 第二十九条(六): after the second 不满意 comes an investigation, not a third handling.
        max_rehandles=1,
        rehandle_keeps_original_period=True,
        last_evaluation_counts=True,
        second_unsatisfied_investigation=True,
        article=f"tonghua 第十九条, 第二十条, 第二十九条(六); re-handling period: {dflt(ZJ_15)}",
    ),
    supervision=SupervisionRule(
        phone_reminders_before_supervision=0,
        due_soon=_DUE_SOON,
        repeat_months_accountability=3,
        article=f"tonghua 第十八条(一), {TH_29_7}",
    ),
    knowledge=_D_KNOWLEDGE,
    refusal_reasons=refusals(
        (R.SECRET, "tonghua 第十条(一)"),
        (R.PARTY_MILITARY, "tonghua 第十条(二)"),
        (R.LITIGATION, "tonghua 第十条(三)"),
        (R.PETITION, "tonghua 第十条(三)"),
        (R.REPEAT, "tonghua 第十条(四)(五)"),
        (R.OUT_OF_JURISDICTION, "tonghua 第十条(六)"),
        (R.ILLEGAL, "tonghua 第十条(七)"),
        (R.HARASSMENT, "tonghua 第二十八条"),
    ),
    harassment_block=None,  # 第三十一条: the police deal with it
    intake=IntakeRule(greeting_only=True, article="tonghua 第三条, 第十四条 (7×24小时人工服务)"),
    notes=(
        "8 steps: 受理 派单 办理 答复 督办 办结 回访 评价 (tonghua 第十三条)",
        "late return counts as overdue (tonghua 第十五条)",
        "12-hour urgent feedback excludes regional natural disasters / force majeure "
        "(tonghua 第十六条)",
        "law-fixed deadlines and case-filing items: enter the procedure within 5 working days, "
        "report, then report the result (tonghua 第十六条)",
        "the 2nd extension needs the unit's leader in charge to sign (tonghua 第十六条)",
        "closed after a satisfied revisit or a lawful answer, archived the same day "
        "(tonghua 第十九条)",
        "refusal: tell the requester the reason and its basis (tonghua 第十条)",
        "overdue tickets reported monthly to the city government (tonghua 第三十四条)",
    ),
)

# --- 长治市 -------------------------------------------------------------------------------

changzhi = Policy(
    name="changzhi",
    title="长治市12345政务服务热线运行机制（试行）",
    document="长治市12345政务热线服务中心通知",
    # 三(三) leaves the periods to "相关规定": the strictest neighbours apply.
    handling=_D_HANDLING,
    enterprise=None,
    urgent=_D_URGENT,
    review=_D_REVIEW,
    review_required=False,
    returns=_D_RETURNS,
    extension=_D_EXTENSION,
    suspension=_D_SUSPENSION,
    evaluation=_D_EVALUATION,
    supervision=SupervisionRule(
        phone_reminders_before_supervision=0,  # overdue tickets go to the 督查室 directly
        due_soon=_DUE_SOON,
        repeat_months_accountability=3,
        article=f"changzhi 三(四); repeat months: {dflt(TH_29_7)}",
    ),
    knowledge=_D_KNOWLEDGE,
    refusal_reasons=refusals(
        (R.LITIGATION, "changzhi 三(一)"),  # 涉诉, 进入行政复议程序
        (R.PETITION, "changzhi 三(一)"),  # 涉访
        (R.PARTY_MILITARY, "changzhi 三(一)"),  # 涉军
        (R.VERTICAL_MANAGEMENT, "changzhi 三(一)"),
    ),
    harassment_block=None,
    intake=_MENU_INTAKE,
    notes=(
        "routing: territory first, the competent department is responsible (changzhi 三(二))",
        "general consultations answered from the knowledge base (changzhi 三(二))",
        "overdue tickets go to the government supervision office (changzhi 三(四))",
        _NOTE_RETURN_FLAGS,
    ),
)

# --- 乌海 (内蒙古地方标准) -----------------------------------------------------------------

wuhai = Policy(
    name="wuhai",
    title="12345政务服务便民热线诉求处置规范",
    document="内蒙古自治区地方标准（2023-05-11发布，2023-06-11实施）",
    # 6.4.2 "一般诉求应在5个工作日内反馈" covers every type of 5.4.1, 表扬 included.
    handling=same_for_all(wd(5, WH_642)),
    enterprise=None,
    # 6.4.2 "应急类诉求应在2小时内反馈"; 6.4.4 c) calls 应急类 tickets 紧急工单: both levels.
    urgent=urgent_both(hours(2, WH_642)),
    review=wd(1, "wuhai 6.2"),
    review_required=True,
    returns=_D_RETURNS,
    extension=ExtensionRule(
        max_count=1,  # "延期时限一般不超过5个工作日": 5 WD in all, so a single extension
        length=wd(5, WH_641),
        min_lead=_D_MIN_LEAD,
        leader_signoff_from=2,
        after_limit=TONGHUA_AFTER_LIMIT,
        article=f"{WH_641}; lead, sign-off, after limit: {dflt(TH_16)}",
    ),
    suspension=SuspensionRule(max_period=nd(90, WH_641), article=WH_641),
    evaluation=_D_EVALUATION,
    supervision=SupervisionRule(
        phone_reminders_before_supervision=2,
        due_soon=_DUE_SOON,
        repeat_months_accountability=3,
        article=f"wuhai 6.5; repeat months: {dflt(TH_29_7)}",
    ),
    knowledge=_D_KNOWLEDGE,
    refusal_reasons=refusals(
        (R.LITIGATION, "wuhai 5.3 a)"),
        (R.PETITION, "wuhai 5.3 b)"),
        (R.SECRET, "wuhai 5.3 c)"),
        (R.EMERGENCY, "wuhai 5.3 d)"),
        (R.HARASSMENT, "wuhai 5.3 e)"),
        (R.ILLEGAL, "wuhai 5.3 f)"),
        (R.REPEAT, "wuhai 6.6.3 c)"),
    ),
    harassment_block=None,
    intake=_MENU_INTAKE,
    notes=(
        "review step between accept and dispatch (wuhai 6.2)",
        "emergency tickets: regional utility outages, disasters, public emergencies, "
        "110/119/120/122 linkage (wuhai 6.4.4)",
        "supervision ladder: system, phone up the chain, SMS, then meetings, on-site, media "
        "(wuhai 6.5)",
        "direct answers close at once; dispatched tickets close after a revisit (wuhai 6.7)",
        _NOTE_RETURN_FLAGS,
    ),
)

# --- 湛江市 -------------------------------------------------------------------------------

zhanjiang = Policy(
    name="zhanjiang",
    title="湛江市12345政务服务便民热线运行管理规定",
    document="湛府办函〔2022〕116号",
    handling=by_type(
        consultation=wd(2, "zhanjiang 第十一条(一)"),
        seek_help=wd(10, "zhanjiang 第十一条(二)"),
        complaint=wd(15, "zhanjiang 第十一条(三)"),
        report=wd(15, "zhanjiang 第十一条(三)"),
        suggestion=wd(10, "zhanjiang 第十一条(二)"),
        # 第十一条 does not list praise; it is forwarded like a suggestion, so it gets the
        # suggestion period.
        praise=wd(10, "zhanjiang 第十一条(二)"),
    ),
    enterprise=None,
    urgent=_D_URGENT,  # 第十四条: "快速响应、即时办理" without a number
    review=_D_REVIEW,
    review_required=False,
    returns=ReturnRule(
        window=wd(2, ZJ_10),
        late_return_counts_overdue=True,
        accepted_restarts_clock=True,
        refused_keeps_first_receipt=True,
        article=f"{ZJ_10}; late return: {dflt(TH_15)}",
    ),
    extension=ExtensionRule(
        max_count=2,
        length=None,  # each extension as long as the type's own period
        min_lead=_D_MIN_LEAD,
        leader_signoff_from=2,
        after_limit=TONGHUA_AFTER_LIMIT,
        article=f"{ZJ_11}; lead, sign-off, after limit: {dflt(TH_16)}",
    ),
    suspension=_D_SUSPENSION,
    evaluation=EvaluationRule(
        scale=FIVE_LEVELS,
        satisfied=frozenset({"非常满意", "满意", "基本满意"}),
        unsatisfied=frozenset({"不满意", "非常不满意"}),
        max_rehandles=1,
        rehandle_keeps_original_period=True,
        last_evaluation_counts=True,
        second_unsatisfied_investigation=True,
        article=f"{ZJ_15}; investigation: {dflt(TH_29_6)}",
    ),
    supervision=_D_SUPERVISION,
    knowledge=KnowledgeRule(
        new_policy_lead_min=wd(3, ZJ_18_2),
        new_policy_lead_max=wd(10, ZJ_18_2),
        correction=wd(2, ZJ_18),
        article=ZJ_18,
    ),
    refusal_reasons=refusals(
        (R.OUT_OF_JURISDICTION, "zhanjiang 第七条(一)"),
        (R.LITIGATION, "zhanjiang 第七条(二)"),
        (R.PETITION, "zhanjiang 第七条(三)"),
        (R.SECRET, "zhanjiang 第七条(四)"),
        (R.ILLEGAL, "zhanjiang 第七条(五)"),
        (R.HARASSMENT, "zhanjiang 第七条(五)"),
        (R.REPEAT, "zhanjiang 第七条(六)"),
        (R.EMERGENCY, "zhanjiang 第十四条"),  # non-emergency only; linked with 110/119/120/122
    ),
    harassment_block=nd(30, "zhanjiang 第九条"),
    intake=IntakeRule(greeting_only=True, article="zhanjiang 第二条 (7x24 小时全天候人工服务)"),
    notes=(
        "refused return: clock from the first receipt; accepted: clock restarts "
        "(zhanjiang 第十条)",
        "disputed complex matters are assigned by the hotline office and cannot be returned "
        "(zhanjiang 第十条)",
        "extension: tell the requester the reason and basis (zhanjiang 第十一条)",
        "a rejected closing request keeps the first-receipt clock (zhanjiang 第十三条)",
        "emergency event list handled at once (zhanjiang 第十四条)",
        "re-handling only at the requester's request, after hotline-office review "
        "(zhanjiang 第十五条)",
        "mediation and law-enforcement items not judged on satisfaction alone "
        "(zhanjiang 第十七条)",
        "emergencies and major events: a reply script at once (zhanjiang 第十八条(三))",
    ),
)

# --- platform default: the strictest sensible combination -------------------------------

default = Policy(
    name="default",
    title="平台默认（五地最严组合）",
    document="platform default: the strictest of shandong, tonghua, changzhi, wuhai, zhanjiang",
    handling=_D_HANDLING,
    enterprise=None,
    urgent=_D_URGENT,
    review=_D_REVIEW,
    review_required=True,  # wuhai 6.2 adds the review step
    returns=_D_RETURNS,
    extension=_D_EXTENSION,
    suspension=_D_SUSPENSION,
    evaluation=_D_EVALUATION,
    supervision=_D_SUPERVISION,
    knowledge=_D_KNOWLEDGE,
    # The union of the five lists, each cited to a text that lists it as a refusal outright.
    refusal_reasons=refusals(
        (R.LITIGATION, dflt("shandong 第三条(一)")),
        (R.PETITION, dflt("shandong 第三条(一)")),
        (R.SECRET, dflt("shandong 第三条(三)")),
        (R.EMERGENCY, dflt("wuhai 5.3 d)")),
        (R.HARASSMENT, dflt("wuhai 5.3 e)")),
        (R.ILLEGAL, dflt("shandong 第三条(二)")),
        (R.PARTY_MILITARY, dflt("tonghua 第十条(二)")),
        (R.VERTICAL_MANAGEMENT, dflt("changzhi 三(一)")),
        (R.OUT_OF_JURISDICTION, dflt("tonghua 第十条(六)")),
        (R.REPEAT, dflt("tonghua 第十条(四)(五)")),
    ),
    harassment_block=_D_HARASSMENT_BLOCK,
    intake=_MENU_INTAKE,
    notes=(
        "review step required: default (strictest: wuhai 6.2)",
        _NOTE_ENTERPRISE + " (stricter than shandong 第十五条's 15 working days)",
        _NOTE_RETURN_FLAGS,
        "extension: at most one, 5 working days; then escalate (wuhai 6.4.1, tonghua 第十六条)",
        "second 不满意 triggers an investigation (tonghua 第二十九条(六))",
    ),
)

PROFILES: dict[str, Policy] = {
    policy.name: policy for policy in (default, shandong, tonghua, changzhi, wuhai, zhanjiang)
}
