"""Every number of every profile, pinned to the article it comes from."""

from collections.abc import Iterator

import pytest

from tickets.enums import RefusalReason, RequestType, Urgency
from tickets.errors import UnknownProfile
from tickets.policy import get_policy, policy_names
from tickets.policy.profiles import PROFILES
from tickets.policy.schema import Period, PeriodUnit, Policy

WD = "working_days"
ND = "natural_days"
H = "hours"
R = RefusalReason

NAMES = ("default", "shandong", "tonghua", "changzhi", "wuhai", "zhanjiang")
DISPATCHABLE = [t for t in RequestType if t is not RequestType.INVALID]

SD_15 = "shandong 第十五条"
TH_15 = "tonghua 第十五条"
TH_16 = "tonghua 第十六条"
WH_642 = "wuhai 6.4.2"
WH_641 = "wuhai 6.4.1"


def d(*articles: str) -> str:
    return f"default (strictest: {', '.join(articles)})"


def triple(period: Period | None) -> tuple[int, str, str] | None:
    return None if period is None else (period.amount, period.unit.value, period.article)


def periods_of(policy: Policy) -> Iterator[Period]:
    """Every Period held anywhere in a profile."""
    yield from policy.handling.values()
    yield from policy.urgent.values()
    candidates: list[Period | None] = [policy.enterprise, policy.review, policy.harassment_block]
    if policy.returns is not None:
        candidates.append(policy.returns.window)
    if policy.extension is not None:
        candidates += [policy.extension.length, policy.extension.min_lead]
    if policy.suspension is not None:
        candidates.append(policy.suspension.max_period)
    candidates.append(policy.supervision.due_soon)
    k = policy.knowledge
    candidates += [k.new_policy_lead_min, k.new_policy_lead_max, k.correction]
    yield from (p for p in candidates if p is not None)


# --- handling per request type ----------------------------------------------------------

_FIVE_FOR_ALL: dict[RequestType, tuple[int, str, str]] = {t: (5, WD, SD_15) for t in DISPATCHABLE}
HANDLING: dict[str, dict[RequestType, tuple[int, str, str]]] = {
    "shandong": _FIVE_FOR_ALL,
    "tonghua": {t: (5, WD, TH_16) for t in DISPATCHABLE},
    "wuhai": {t: (5, WD, WH_642) for t in DISPATCHABLE},
    "zhanjiang": {
        RequestType.CONSULTATION: (2, WD, "zhanjiang 第十一条(一)"),
        RequestType.HELP: (10, WD, "zhanjiang 第十一条(二)"),
        RequestType.SUGGESTION: (10, WD, "zhanjiang 第十一条(二)"),
        RequestType.PRAISE: (10, WD, "zhanjiang 第十一条(二)"),
        RequestType.COMPLAINT: (15, WD, "zhanjiang 第十一条(三)"),
        RequestType.REPORT: (15, WD, "zhanjiang 第十一条(三)"),
    },
}
_STRICTEST_HANDLING: dict[RequestType, tuple[int, str, str]] = {
    RequestType.CONSULTATION: (2, WD, d("zhanjiang 第十一条(一)")),
    **{
        t: (5, WD, d(SD_15))
        for t in (
            RequestType.HELP, RequestType.SUGGESTION, RequestType.PRAISE,
            RequestType.COMPLAINT, RequestType.REPORT,
        )
    },
}
HANDLING["changzhi"] = _STRICTEST_HANDLING
HANDLING["default"] = _STRICTEST_HANDLING

HANDLING_ROWS = [
    (name, rtype.value, *value)
    for name, table in HANDLING.items()
    for rtype, value in table.items()
]


@pytest.mark.parametrize(("profile", "rtype", "amount", "unit", "article"), HANDLING_ROWS)
def test_handling(profile: str, rtype: str, amount: int, unit: str, article: str) -> None:
    period = PROFILES[profile].handling[RequestType(rtype)]
    assert triple(period) == (amount, unit, article)


@pytest.mark.parametrize("profile", NAMES)
def test_handling_covers_every_type_but_invalid(profile: str) -> None:
    assert set(PROFILES[profile].handling) == set(DISPATCHABLE)
    assert RequestType.INVALID not in PROFILES[profile].handling


def test_handling_table_is_complete() -> None:
    assert len(HANDLING_ROWS) == len(NAMES) * len(DISPATCHABLE)


# --- enterprise ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("shandong", (15, WD, SD_15)),
        ("tonghua", None),
        ("changzhi", None),
        ("wuhai", None),
        ("zhanjiang", None),
        ("default", None),
    ],
)
def test_enterprise(profile: str, expected: tuple[int, str, str] | None) -> None:
    assert triple(PROFILES[profile].enterprise) == expected


# --- urgent -------------------------------------------------------------------------------

URGENT_ROWS = [
    (name, urgency.value, amount, H, article)
    for name, amount, article in [
        ("shandong", 2, d(WH_642)),
        ("tonghua", 12, TH_16),
        ("changzhi", 2, d(WH_642)),
        ("wuhai", 2, WH_642),
        ("zhanjiang", 2, d(WH_642)),
        ("default", 2, d(WH_642)),
    ]
    for urgency in (Urgency.URGENT, Urgency.VERY_URGENT)
]


@pytest.mark.parametrize(("profile", "urgency", "amount", "unit", "article"), URGENT_ROWS)
def test_urgent(profile: str, urgency: str, amount: int, unit: str, article: str) -> None:
    assert triple(PROFILES[profile].urgent[Urgency(urgency)]) == (amount, unit, article)


@pytest.mark.parametrize("profile", NAMES)
def test_normal_urgency_has_no_urgent_period(profile: str) -> None:
    assert Urgency.NORMAL not in PROFILES[profile].urgent


# --- review -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "amount", "unit", "article", "required"),
    [
        ("shandong", 0, WD, d(TH_15), False),
        ("tonghua", 0, WD, TH_15, False),
        ("changzhi", 0, WD, d(TH_15), False),
        ("wuhai", 1, WD, "wuhai 6.2", True),
        ("zhanjiang", 0, WD, d(TH_15), False),
        ("default", 0, WD, d(TH_15), True),
    ],
)
def test_review(profile: str, amount: int, unit: str, article: str, required: bool) -> None:
    policy = PROFILES[profile]
    assert triple(policy.review) == (amount, unit, article)
    assert policy.review_required is required


# --- returns ------------------------------------------------------------------------------

_DEFAULT_RETURN_ARTICLE = d(SD_15, TH_15, "zhanjiang 第十条")


@pytest.mark.parametrize(
    ("profile", "window", "late_overdue", "accepted_restarts", "refused_keeps", "article"),
    [
        ("shandong", (2, WD, SD_15), True, True, True,
         f"{SD_15}; flags: {d(TH_15, 'zhanjiang 第十条')}"),
        ("tonghua", (2, WD, TH_15), True, True, True,
         f"{TH_15}; clock flags: {d('zhanjiang 第十条')}"),
        ("changzhi", (2, WD, d(SD_15)), True, True, True, _DEFAULT_RETURN_ARTICLE),
        ("wuhai", (2, WD, d(SD_15)), True, True, True, _DEFAULT_RETURN_ARTICLE),
        ("zhanjiang", (2, WD, "zhanjiang 第十条"), True, True, True,
         f"zhanjiang 第十条; late return: {d(TH_15)}"),
        ("default", (2, WD, d(SD_15)), True, True, True, _DEFAULT_RETURN_ARTICLE),
    ],
)
def test_returns(
    profile: str,
    window: tuple[int, str, str],
    late_overdue: bool,
    accepted_restarts: bool,
    refused_keeps: bool,
    article: str,
) -> None:
    rule = PROFILES[profile].returns
    assert rule is not None
    assert triple(rule.window) == window
    assert rule.late_return_counts_overdue is late_overdue
    assert rule.accepted_restarts_clock is accepted_restarts
    assert rule.refused_keeps_first_receipt is refused_keeps
    assert rule.article == article


# --- extension ----------------------------------------------------------------------------

_BORROWED_LEAD = (1, ND, d(TH_16))


@pytest.mark.parametrize(
    ("profile", "max_count", "length", "min_lead", "signoff_from", "article"),
    [
        ("shandong", 1, (10, WD, SD_15), _BORROWED_LEAD, 2,
         f"{SD_15}; lead, sign-off, after limit: {d(TH_16)}"),
        ("tonghua", 2, (5, WD, TH_16), (1, ND, TH_16), 2, TH_16),
        ("changzhi", 1, (5, WD, d(WH_641)), _BORROWED_LEAD, 2, d(WH_641, TH_16)),
        ("wuhai", 1, (5, WD, WH_641), _BORROWED_LEAD, 2,
         f"{WH_641}; lead, sign-off, after limit: {d(TH_16)}"),
        ("zhanjiang", 2, None, _BORROWED_LEAD, 2,
         f"zhanjiang 第十一条; lead, sign-off, after limit: {d(TH_16)}"),
        ("default", 1, (5, WD, d(WH_641)), _BORROWED_LEAD, 2, d(WH_641, TH_16)),
    ],
)
def test_extension(
    profile: str,
    max_count: int,
    length: tuple[int, str, str] | None,
    min_lead: tuple[int, str, str] | None,
    signoff_from: int | None,
    article: str,
) -> None:
    rule = PROFILES[profile].extension
    assert rule is not None
    assert rule.max_count == max_count
    assert triple(rule.length) == length
    assert triple(rule.min_lead) == min_lead
    assert rule.leader_signoff_from == signoff_from
    assert rule.article == article
    assert "政府分管领导" in rule.after_limit


# --- suspension ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "max_period", "article"),
    [
        ("shandong", (90, ND, d(WH_641)), d(WH_641)),
        ("tonghua", (90, ND, d(WH_641)), d(WH_641)),
        ("changzhi", (90, ND, d(WH_641)), d(WH_641)),
        ("wuhai", (90, ND, WH_641), WH_641),
        ("zhanjiang", (90, ND, d(WH_641)), d(WH_641)),
        ("default", (90, ND, d(WH_641)), d(WH_641)),
    ],
)
def test_suspension(profile: str, max_period: tuple[int, str, str], article: str) -> None:
    rule = PROFILES[profile].suspension
    assert rule is not None
    assert triple(rule.max_period) == max_period
    assert rule.article == article


# --- evaluation ---------------------------------------------------------------------------

FIVE = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
FIVE_SAT = {"非常满意", "满意", "基本满意"}
FIVE_UNSAT = {"不满意", "非常不满意"}
_DEFAULT_EVAL_ARTICLE = d("zhanjiang 第十五条", "tonghua 第二十九条(六)")


@pytest.mark.parametrize(
    ("profile", "scale", "satisfied", "unsatisfied", "max_rehandles", "article"),
    [
        ("shandong", ("满意", "基本满意", "不满意"), {"满意", "基本满意"}, {"不满意"}, 1,
         f"shandong 第十六条; re-handling limits: {d('zhanjiang 第十五条')}; "
         f"investigation: {d('tonghua 第二十九条(六)')}"),
        ("tonghua", ("满意", "比较满意", "不满意"), {"满意", "比较满意"}, {"不满意"}, 1,
         f"tonghua 第十九条, 第二十条, 第二十九条(六); re-handling period: "
         f"{d('zhanjiang 第十五条')}"),
        ("changzhi", FIVE, FIVE_SAT, FIVE_UNSAT, 1, _DEFAULT_EVAL_ARTICLE),
        ("wuhai", FIVE, FIVE_SAT, FIVE_UNSAT, 1, _DEFAULT_EVAL_ARTICLE),
        ("zhanjiang", FIVE, FIVE_SAT, FIVE_UNSAT, 1,
         f"zhanjiang 第十五条; investigation: {d('tonghua 第二十九条(六)')}"),
        ("default", FIVE, FIVE_SAT, FIVE_UNSAT, 1, _DEFAULT_EVAL_ARTICLE),
    ],
)
def test_evaluation(
    profile: str,
    scale: tuple[str, ...],
    satisfied: set[str],
    unsatisfied: set[str],
    max_rehandles: int,
    article: str,
) -> None:
    rule = PROFILES[profile].evaluation
    assert rule.scale == scale
    assert rule.satisfied == satisfied
    assert rule.unsatisfied == unsatisfied
    assert rule.max_rehandles == max_rehandles
    assert rule.article == article
    # every profile: same deadline on re-handling, the last rating counts,
    # a second 不满意 starts an investigation (zhanjiang 第十五条, tonghua 第二十九条(六))
    assert rule.rehandle_keeps_original_period is True
    assert rule.last_evaluation_counts is True
    assert rule.second_unsatisfied_investigation is True


@pytest.mark.parametrize("profile", NAMES)
def test_evaluation_sets_partition_the_scale(profile: str) -> None:
    rule = PROFILES[profile].evaluation
    assert rule.satisfied | rule.unsatisfied == set(rule.scale)
    assert not rule.satisfied & rule.unsatisfied
    assert len(set(rule.scale)) == len(rule.scale)


# --- supervision --------------------------------------------------------------------------

_REPEAT_DEFAULT = d("tonghua 第二十九条(七)")


@pytest.mark.parametrize(
    ("profile", "phone_reminders", "repeat_months", "article"),
    [
        ("shandong", 0, 3, f"shandong 第十八条(一); repeat months: {_REPEAT_DEFAULT}"),
        ("tonghua", 0, 3, "tonghua 第十八条(一), tonghua 第二十九条(七)"),
        ("changzhi", 0, 3, f"changzhi 三(四); repeat months: {_REPEAT_DEFAULT}"),
        ("wuhai", 2, 3, f"wuhai 6.5; repeat months: {_REPEAT_DEFAULT}"),
        ("zhanjiang", 0, 3, d("shandong 第十八条(一)", "tonghua 第二十九条(七)")),
        ("default", 0, 3, d("shandong 第十八条(一)", "tonghua 第二十九条(七)")),
    ],
)
def test_supervision(profile: str, phone_reminders: int, repeat_months: int, article: str) -> None:
    rule = PROFILES[profile].supervision
    assert rule.phone_reminders_before_supervision == phone_reminders
    assert rule.repeat_months_accountability == repeat_months
    assert rule.article == article
    assert triple(rule.due_soon) == (1, WD, "platform default")


# --- knowledge ----------------------------------------------------------------------------

_DEFAULT_KNOWLEDGE = (
    (3, WD, d("zhanjiang 第十八条(二)")),
    (10, WD, d("zhanjiang 第十八条(二)")),
    (2, WD, d("zhanjiang 第十八条")),
    d("zhanjiang 第十八条"),
)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("shandong", _DEFAULT_KNOWLEDGE),
        ("tonghua", _DEFAULT_KNOWLEDGE),
        ("changzhi", _DEFAULT_KNOWLEDGE),
        ("wuhai", _DEFAULT_KNOWLEDGE),
        ("zhanjiang", (
            (3, WD, "zhanjiang 第十八条(二)"),
            (10, WD, "zhanjiang 第十八条(二)"),
            (2, WD, "zhanjiang 第十八条"),
            "zhanjiang 第十八条",
        )),
        ("default", _DEFAULT_KNOWLEDGE),
    ],
)
def test_knowledge(profile: str, expected: tuple[object, ...]) -> None:
    rule = PROFILES[profile].knowledge
    actual = (
        triple(rule.new_policy_lead_min),
        triple(rule.new_policy_lead_max),
        triple(rule.correction),
        rule.article,
    )
    assert actual == expected


# --- refusal reasons ----------------------------------------------------------------------

REFUSALS: dict[str, dict[RefusalReason, str]] = {
    "shandong": {
        R.LITIGATION: "shandong 第三条(一)",
        R.PETITION: "shandong 第三条(一)",
        R.SECRET: "shandong 第三条(三)",
        R.EMERGENCY: "shandong 第四条",
        R.HARASSMENT: "shandong 第二十六条",
        R.ILLEGAL: "shandong 第三条(二)",
        R.REPEAT: "shandong 第十三条",
    },
    "tonghua": {
        R.SECRET: "tonghua 第十条(一)",
        R.PARTY_MILITARY: "tonghua 第十条(二)",
        R.LITIGATION: "tonghua 第十条(三)",
        R.PETITION: "tonghua 第十条(三)",
        R.REPEAT: "tonghua 第十条(四)(五)",
        R.OUT_OF_JURISDICTION: "tonghua 第十条(六)",
        R.ILLEGAL: "tonghua 第十条(七)",
        R.HARASSMENT: "tonghua 第二十八条",
    },
    "changzhi": {
        R.LITIGATION: "changzhi 三(一)",
        R.PETITION: "changzhi 三(一)",
        R.PARTY_MILITARY: "changzhi 三(一)",
        R.VERTICAL_MANAGEMENT: "changzhi 三(一)",
    },
    "wuhai": {
        R.LITIGATION: "wuhai 5.3 a)",
        R.PETITION: "wuhai 5.3 b)",
        R.SECRET: "wuhai 5.3 c)",
        R.EMERGENCY: "wuhai 5.3 d)",
        R.HARASSMENT: "wuhai 5.3 e)",
        R.ILLEGAL: "wuhai 5.3 f)",
        R.REPEAT: "wuhai 6.6.3 c)",
    },
    "zhanjiang": {
        R.OUT_OF_JURISDICTION: "zhanjiang 第七条(一)",
        R.LITIGATION: "zhanjiang 第七条(二)",
        R.PETITION: "zhanjiang 第七条(三)",
        R.SECRET: "zhanjiang 第七条(四)",
        R.ILLEGAL: "zhanjiang 第七条(五)",
        R.HARASSMENT: "zhanjiang 第七条(五)",
        R.REPEAT: "zhanjiang 第七条(六)",
        R.EMERGENCY: "zhanjiang 第十四条",
    },
    "default": {
        R.LITIGATION: d("shandong 第三条(一)"),
        R.PETITION: d("shandong 第三条(一)"),
        R.SECRET: d("shandong 第三条(三)"),
        R.EMERGENCY: d("wuhai 5.3 d)"),
        R.HARASSMENT: d("wuhai 5.3 e)"),
        R.ILLEGAL: d("shandong 第三条(二)"),
        R.PARTY_MILITARY: d("tonghua 第十条(二)"),
        R.VERTICAL_MANAGEMENT: d("changzhi 三(一)"),
        R.OUT_OF_JURISDICTION: d("tonghua 第十条(六)"),
        R.REPEAT: d("tonghua 第十条(四)(五)"),
    },
}

REFUSAL_ROWS = [
    (name, reason.value, article)
    for name, table in REFUSALS.items()
    for reason, article in table.items()
]


@pytest.mark.parametrize(("profile", "reason", "article"), REFUSAL_ROWS)
def test_refusal_reason_article(profile: str, reason: str, article: str) -> None:
    assert PROFILES[profile].refusal_reasons[RefusalReason(reason)] == article


@pytest.mark.parametrize("profile", NAMES)
def test_refusal_reason_set_is_exact(profile: str) -> None:
    assert set(PROFILES[profile].refusal_reasons) == set(REFUSALS[profile])


def test_default_refusals_are_the_union() -> None:
    union = {r for name in NAMES if name != "default" for r in PROFILES[name].refusal_reasons}
    assert set(PROFILES["default"].refusal_reasons) == union == set(RefusalReason)


# --- harassment block ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("shandong", None),
        ("tonghua", None),
        ("changzhi", None),
        ("wuhai", None),
        ("zhanjiang", (30, ND, "zhanjiang 第九条")),
        ("default", (30, ND, d("zhanjiang 第九条"))),
    ],
)
def test_harassment_block(profile: str, expected: tuple[int, str, str] | None) -> None:
    assert triple(PROFILES[profile].harassment_block) == expected


# --- registry and shape -------------------------------------------------------------------


def test_profile_names() -> None:
    assert set(PROFILES) == set(NAMES)
    assert policy_names()[0] == "default"
    assert sorted(policy_names()) == sorted(NAMES)


@pytest.mark.parametrize("profile", NAMES)
def test_get_policy_and_name(profile: str) -> None:
    policy = get_policy(profile)
    assert policy is PROFILES[profile]
    assert policy.name == profile
    assert policy.title and policy.document


def test_unknown_profile() -> None:
    with pytest.raises(UnknownProfile) as info:
        get_policy("nope")
    assert info.value.details["profile"] == "nope"
    assert "default" in info.value.details["known"]


@pytest.mark.parametrize("profile", NAMES)
def test_every_article_names_its_source(profile: str) -> None:
    """A profile cites itself, the strictest neighbour, or the platform's own choice."""
    allowed: tuple[str, ...] = ("default (strictest: ", "platform default")
    if profile != "default":
        allowed += (f"{profile} ",)
    policy = PROFILES[profile]
    articles = [p.article for p in periods_of(policy)]
    articles += list(policy.refusal_reasons.values())
    articles += [policy.evaluation.article, policy.supervision.article, policy.knowledge.article]
    for rule in (policy.returns, policy.extension, policy.suspension):
        if rule is not None:
            articles.append(rule.article)
    for article in articles:
        assert article.startswith(allowed), article


@pytest.mark.parametrize("profile", [n for n in NAMES if n != "default"])
def test_default_is_at_least_as_strict(profile: str) -> None:
    strict, other = PROFILES["default"], PROFILES[profile]
    for rtype in DISPATCHABLE:
        assert strict.handling[rtype].amount <= other.handling[rtype].amount
    for urgency, period in other.urgent.items():
        assert strict.urgent[urgency].amount <= period.amount
    assert strict.supervision.phone_reminders_before_supervision <= (
        other.supervision.phone_reminders_before_supervision
    )
    assert set(other.refusal_reasons) <= set(strict.refusal_reasons)


# --- Policy.handling_period precedence ----------------------------------------------------


def test_handling_period_urgent_beats_enterprise() -> None:
    policy = PROFILES["shandong"]
    period = policy.handling_period(
        RequestType.COMPLAINT, enterprise=True, urgency=Urgency.VERY_URGENT
    )
    assert period is policy.urgent[Urgency.VERY_URGENT]
    assert triple(period) == (2, H, d(WH_642))


def test_handling_period_enterprise_beats_type() -> None:
    policy = PROFILES["shandong"]
    period = policy.handling_period(RequestType.CONSULTATION, enterprise=True)
    assert triple(period) == (15, WD, SD_15)


def test_handling_period_type_by_default() -> None:
    policy = PROFILES["zhanjiang"]
    assert triple(policy.handling_period(RequestType.COMPLAINT)) == (
        15, WD, "zhanjiang 第十一条(三)",
    )
    assert triple(policy.handling_period(RequestType.CONSULTATION, urgency=Urgency.NORMAL)) == (
        2, WD, "zhanjiang 第十一条(一)",
    )


def test_handling_period_without_enterprise_rule_uses_type() -> None:
    policy = PROFILES["zhanjiang"]
    assert policy.handling_period(RequestType.REPORT, enterprise=True) is (
        policy.handling[RequestType.REPORT]
    )


def test_handling_period_urgent_in_tonghua() -> None:
    period = PROFILES["tonghua"].handling_period(RequestType.HELP, urgency=Urgency.URGENT)
    assert (period.amount, period.unit) == (12, PeriodUnit.HOURS)
