"""Questions a profile answers: its rules as data, and when a given rule falls due."""

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any

from tickets.calendar.workdays import WorkingCalendar
from tickets.deadlines import due_after
from tickets.enums import RequestType, Urgency
from tickets.errors import InvalidValue
from tickets.policy.schema import Period, Policy


class Rule(StrEnum):
    """Which deadline to compute."""

    HANDLE = "handle"
    REVIEW = "review"
    RETURN = "return"


def rule_period(
    policy: Policy, rule: Rule, request_type: RequestType, *, enterprise: bool, urgency: Urgency
) -> Period:
    """The period ``rule`` gives for a ticket of this kind, or :class:`InvalidValue`."""
    if rule is Rule.REVIEW:
        period = policy.review
    elif rule is Rule.RETURN:
        period = policy.returns.window if policy.returns else None
    elif request_type is RequestType.INVALID:
        raise InvalidValue("an invalid request (无效) has no handling period; it is refused",
                           request_type=request_type.value)
    else:
        period = policy.handling_period(request_type, enterprise=enterprise, urgency=urgency)
    if period is None:
        raise InvalidValue(f"the {policy.name} profile sets no {rule.value} period",
                           profile=policy.name, rule=rule.value)
    return period


def due_answer(
    policy: Policy, calendar: WorkingCalendar, at: datetime, rule: Rule,
    request_type: RequestType, *, enterprise: bool, urgency: Urgency,
) -> dict[str, Any]:
    """When ``rule`` falls due for an event at ``at``, with the period and its article."""
    period = rule_period(policy, rule, request_type, enterprise=enterprise, urgency=urgency)
    due = due_after(at, period, calendar)
    return {
        "due": due.at.isoformat(), "provisional": due.provisional, "profile": policy.name,
        "rule": rule.value, "request_type": request_type.value, "enterprise": enterprise,
        "urgency": urgency.value, "start": at.isoformat(),
        "period": {"amount": period.amount, "unit": period.unit.value},
        "article": period.article,
    }


def policy_as_data(policy: Policy) -> dict[str, Any]:
    """The whole profile as JSON-ready data."""
    return _plain(policy)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value
