"""How a route ended, for logs, figures and the tests."""

from dataclasses import dataclass
from enum import StrEnum


class IvrResult(StrEnum):
    """The main menu's end, set as HOTLINE_IVR_RESULT before the call goes on to the queue."""

    AGENT = "agent"
    DESCRIBE = "describe"
    ENTERPRISE = "enterprise"
    EMERGENCY = "emergency"
    FOLLOWED = "followed"
    HUNGUP = "hungup"


class SurveyResult(StrEnum):
    """The revisit survey's end."""

    ANSWERED = "answered"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class RouteOutcome:
    """One FastAGI request, finished: which route, which call, how it ended."""

    route: str | None
    uniqueid: str | None
    linkedid: str | None
    result: str  # an IvrResult, a SurveyResult, or "unrouted"
    detail: str | None = None  # the survey's abandon reason, the ticket followed
