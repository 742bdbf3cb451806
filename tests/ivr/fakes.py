"""Fake ports: a ticket lookup and a survey backend that record what they are asked."""

from dataclasses import dataclass, field
from datetime import date

from ivr.ports import SurveyAnswer, SurveyScript, TicketStatus
from kernel.numbers import luhn_digit


def number_with_check(body: str) -> str:
    """A ticket number by the rule tickets uses: yymmdd + id + Luhn digit."""
    return body + luhn_digit(body)


def with_bad_check(body: str) -> str:
    return body + str((int(luhn_digit(body)) + 1) % 10)


TICKET = number_with_check("260302000017")


@dataclass
class FakeTickets:
    """Knows some tickets; raises when told to (the database is down)."""

    tickets: dict[str, TicketStatus] = field(default_factory=lambda: {
        TICKET: TicketStatus(TICKET, "办理中", date(2026, 3, 16), overdue=False)})
    asked: list[str] = field(default_factory=list)
    broken: bool = False

    async def status(self, number: str) -> TicketStatus | None:
        self.asked.append(number)
        if self.broken:
            raise ConnectionError("database down")
        return self.tickets.get(number)


def token_of(attempt_id: str) -> str:
    """The secret the fake platform gave the call it placed for ``attempt_id``."""
    return f"secret-{attempt_id}"


@dataclass
class FakeSurveys:
    """One attempt it knows; every call to verify/script/answered/abandoned recorded."""

    scripts: dict[str, SurveyScript] = field(default_factory=lambda: {
        "att-1": SurveyScript("att-1", TICKET, "小区路灯不亮", ("满意", "基本满意", "不满意"))})
    answers: list[SurveyAnswer] = field(default_factory=list)
    abandons: list[tuple[str, str]] = field(default_factory=list)
    verified: list[tuple[str, str]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    broken: bool = False
    broken_verify: bool = False

    async def verify(self, attempt_id: str, token: str) -> bool:
        self.verified.append((attempt_id, token))
        if self.broken_verify:
            raise ConnectionError("database down")
        return token == token_of(attempt_id)

    async def script(self, attempt_id: str) -> SurveyScript | None:
        self.asked.append(attempt_id)
        if self.broken:
            raise ConnectionError("database down")
        return self.scripts.get(attempt_id)

    async def answered(self, answer: SurveyAnswer) -> None:
        self.answers.append(answer)

    async def abandoned(self, attempt_id: str, reason: str) -> None:
        self.abandons.append((attempt_id, reason))

    @property
    def reports(self) -> int:
        return len(self.answers) + len(self.abandons)
