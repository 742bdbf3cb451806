"""The shape of a policy profile; every number carries the article it comes from."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from tickets.enums import RefusalReason, RequestType, Urgency


class PeriodUnit(StrEnum):
    """How a period is counted."""

    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"
    HOURS = "hours"


@dataclass(frozen=True)
class Period:
    """A length of time and the article that fixes it.

    ``WORKING_DAYS`` with amount 0 means "the same day" (ends 23:59:59 of the event's day).
    """

    amount: int
    unit: PeriodUnit
    article: str

    def describe(self) -> str:
        """Human-readable form, e.g. ``5 working_days (tonghua 第十五条)``."""
        return f"{self.amount} {self.unit.value} ({self.article})"


@dataclass(frozen=True)
class ReturnRule:
    """A unit may send back a ticket that is not its duty (退回)."""

    window: Period
    late_return_counts_overdue: bool
    accepted_restarts_clock: bool
    refused_keeps_first_receipt: bool
    article: str


@dataclass(frozen=True)
class ExtensionRule:
    """延期: how often, how long, how early to ask, and whose sign-off."""

    max_count: int
    length: Period | None  # None: each extension is as long as the original period
    min_lead: Period | None  # ask at least this long before the due time
    leader_signoff_from: int | None  # the n-th extension (1-based) and later need it
    after_limit: str  # what happens when a unit needs more than max_count
    article: str


@dataclass(frozen=True)
class SuspensionRule:
    """挂单: a law fixes a longer period; the clock stops for at most this long."""

    max_period: Period
    article: str


@dataclass(frozen=True)
class EvaluationRule:
    """Revisit rating scale and what an unsatisfied rating does."""

    scale: tuple[str, ...]  # best first
    satisfied: frozenset[str]  # levels counted as satisfied in the satisfaction rate
    unsatisfied: frozenset[str]  # levels that may send the ticket back
    max_rehandles: int
    rehandle_keeps_original_period: bool
    last_evaluation_counts: bool
    second_unsatisfied_investigation: bool
    article: str


@dataclass(frozen=True)
class SupervisionRule:
    """督办 triggers and the reminder ladder."""

    phone_reminders_before_supervision: int
    due_soon: Period  # a ticket is "due soon" this long before its due time
    repeat_months_accountability: int | None  # same matter N months running
    article: str


@dataclass(frozen=True)
class KnowledgeRule:
    """Knowledge-base upkeep deadlines (zhanjiang 18)."""

    new_policy_lead_min: Period  # enter a new policy at the latest this long before publication
    new_policy_lead_max: Period  # and at the earliest this long before it
    correction: Period  # fix a wrong article within this long of the finding
    article: str


@dataclass(frozen=True)
class IntakeRule:
    """How a phone call is taken: a greeting and a person, or the platform's short menu."""

    greeting_only: bool  # GB/T 33358: voice menus 不宜 for intake; 2 and 9 are kept
    article: str


@dataclass(frozen=True)
class Policy:
    """One jurisdiction's rules. Exactly one is active per deployment."""

    name: str
    title: str
    document: str
    handling: Mapping[RequestType, Period]
    enterprise: Period | None
    urgent: Mapping[Urgency, Period]
    review: Period | None
    review_required: bool
    returns: ReturnRule | None
    extension: ExtensionRule | None
    suspension: SuspensionRule | None
    evaluation: EvaluationRule
    supervision: SupervisionRule
    knowledge: KnowledgeRule
    refusal_reasons: Mapping[RefusalReason, str]  # reason -> article
    harassment_block: Period | None
    intake: IntakeRule
    notes: tuple[str, ...] = field(default=())

    def handling_period(
        self, request_type: RequestType, *, enterprise: bool = False,
        urgency: Urgency = Urgency.NORMAL,
    ) -> Period:
        """The period a unit has to handle a ticket of this kind."""
        if urgency in self.urgent:
            return self.urgent[urgency]
        if enterprise and self.enterprise is not None:
            return self.enterprise
        return self.handling[request_type]
