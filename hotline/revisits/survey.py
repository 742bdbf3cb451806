"""The survey port: what the IVR's revisit route calls, bound to the database and the rules."""

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ivr.ports import SurveyAnswer, SurveyScript
from kernel.clock import now as beijing_now
from tickets.revisits.errors import AttemptNotFound
from tickets.revisits.schedule import Outcome, RevisitRules
from tickets.revisits.survey import (
    RevisitScript,
    call_is_ours,
    record_abandoned,
    record_answer,
    survey_script,
)

log = logging.getLogger(__name__)


def attempt_of(value: int | str) -> int | None:
    """The attempt id from the channel's HOTLINE_REVISIT_ID; None when it is not one."""
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) < 18 else None


class RevisitSurveyRecords:
    """The survey's records side: verification, script, answer, abandonment, each a session
    of its own on the database (the IVR's ``RevisitSurveyRoute`` asks the questions).

    The route verifies the call's token first and reads or records nothing for a call that
    fails it: FastAGI is reachable by any local process, which could otherwise name any
    attempt id and record an answer or a failure for it.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], rules: RevisitRules,
                 clock: Callable[[], datetime] = beijing_now) -> None:
        self.sessionmaker, self.rules, self.clock = sessionmaker, rules, clock

    async def verify(self, attempt_id: int | str, token: str) -> bool:
        """Whether the call carries the secret the dialer gave the attempt's call (logged)."""
        ident = attempt_of(attempt_id)
        if ident is None or not token:
            log.warning("survey for %r: %s", attempt_id,
                        "no survey token" if ident is not None else "not a revisit attempt id")
            return False
        async with self.sessionmaker() as session:
            ours = await call_is_ours(session, ident, token)
        if not ours:
            log.warning("survey for attempt %d: the call's token is not the one the dialer "
                        "gave it (or the attempt is not being called): nothing is recorded",
                        ident)
        return ours

    async def script(self, attempt_id: int | str) -> RevisitScript | None:
        """What to say and ask; None (logged) for an unknown or finished attempt."""
        ident = attempt_of(attempt_id)
        if ident is None:
            log.warning("survey: %r is not a revisit attempt id", attempt_id)
            return None
        async with self.sessionmaker() as session:
            return await survey_script(session, ident)

    async def answered(self, attempt_id: int | str, rating: str | None, solved: bool | None,
                       do_not_call: bool) -> Outcome | None:
        """Record the confirmed answer once (a repeat is a logged no-op)."""
        ident = attempt_of(attempt_id)
        if ident is None:
            log.warning("survey answer for %r: not a revisit attempt id", attempt_id)
            return None
        async with self.sessionmaker() as session:
            return await record_answer(session, ident, rating, solved, do_not_call, self.clock())

    async def abandoned(self, attempt_id: int | str, reason: str) -> Outcome | None:
        """Hung up or no valid answer: a failed attempt; the next is scheduled or a person."""
        ident = attempt_of(attempt_id)
        if ident is None:
            log.warning("survey abandoned for %r: not a revisit attempt id", attempt_id)
            return None
        async with self.sessionmaker() as session:
            return await record_abandoned(session, ident, reason, self.clock(), rules=self.rules)


class IvrSurveyBackend:
    """``ivr.ports.SurveyBackend`` on the revisits: what the composition root gives the IVR."""

    def __init__(self, survey: RevisitSurveyRecords) -> None:
        self.survey = survey

    async def verify(self, attempt_id: str, token: str) -> bool:
        """Whether the call is the one the platform placed for ``attempt_id``."""
        return await self.survey.verify(attempt_id, token)

    async def script(self, attempt_id: str) -> SurveyScript | None:
        """The survey's script in the IVR's terms; None when there is nothing to ask."""
        found = await self.survey.script(attempt_id)
        if found is None:
            return None
        return SurveyScript(attempt_id, found.ticket_number, found.summary, found.scale)

    async def answered(self, answer: SurveyAnswer) -> None:
        """The confirmed answer, recorded once (a domain refusal reaches the IVR, which logs)."""
        await self.survey.answered(answer.attempt_id, answer.rating, answer.solved,
                                   answer.do_not_call)

    async def abandoned(self, attempt_id: str, reason: str) -> None:
        """A failed attempt; an attempt that does not exist is only logged."""
        try:
            await self.survey.abandoned(attempt_id, reason)
        except AttemptNotFound:
            log.warning("survey abandoned (%s) for unknown attempt %s", reason, attempt_id)
