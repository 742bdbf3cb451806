"""The revisit survey (route ``revisit``): the answered side of a revisit call.

It names the ticket (number and summary), asks the rating on the profile's scale (key 1 is
the best) and whether the problem was solved, lets the citizen key 9 not to be called again,
reads the answer back for confirmation, and reports it once. Anything short of a confirmed
answer (a hang-up, no valid key) reports the attempt abandoned, never half an answer.

FastAGI answers any local process, which may claim to be Asterisk and name any attempt. The
route first checks that the call carries the attempt's secret (HOTLINE_REVISIT_TOKEN, drawn
when the dialer claimed it); without it the call is told goodbye and nothing is read or
reported, not even an abandonment.
"""

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass, replace
from enum import StrEnum

from ivr.agi.channel import AgiChannel
from ivr.config import IvrConfig
from ivr.errors import CallerHungUp, IvrError
from ivr.outcome import RouteOutcome, SurveyResult
from ivr.ports import SurveyAnswer, SurveyBackend, SurveyScript
from ivr.prompts.player import Item, Prompts

log = logging.getLogger(__name__)

ATTEMPT_VARIABLE = "HOTLINE_REVISIT_ID"
# The secret the dialer drew for the attempt, set on the call's channel by its Originate. Read
# with GET VARIABLE, never passed as an AGI argument (Asterisk logs those at verbose 3).
TOKEN_VARIABLE = "HOTLINE_REVISIT_TOKEN"
_ATTEMPT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")
NO_CALL_KEY = "9"
MAX_SCALE = 8  # keys 1-8 rate; 9 is "do not call me again"
REPORT_TIMEOUT = 10.0  # seconds to report an interrupted survey while the server stops


class Step(StrEnum):
    """Where the survey stands."""

    RATING = "rating"
    SOLVED = "solved"
    CONFIRM = "confirm"
    DONE = "done"  # confirmed
    GIVEN_UP = "given-up"  # no valid answer within the tries


@dataclass(frozen=True)
class SurveyState:
    """The answers so far, and how many tries and restarts are used up."""

    step: Step = Step.RATING
    rating: str | None = None
    solved: bool | None = None
    do_not_call: bool = False
    misses: int = 0
    redos: int = 0

    def answer(self, attempt_id: str) -> SurveyAnswer:
        return SurveyAnswer(attempt_id, self.rating, self.solved, self.do_not_call)


def advance(state: SurveyState, key: str, scale: tuple[str, ...],
            config: IvrConfig) -> SurveyState:
    """The state after ``key`` ("" when none came); no I/O, so every path is testable."""
    step = state.step
    if step in (Step.DONE, Step.GIVEN_UP):
        return state
    if key == NO_CALL_KEY and not (step is Step.CONFIRM and state.do_not_call):
        return replace(state, step=Step.CONFIRM, do_not_call=True, misses=0)
    if step is Step.RATING and key.isdigit() and 1 <= int(key) <= len(scale):
        return replace(state, step=Step.SOLVED, rating=scale[int(key) - 1], misses=0)
    if step is Step.SOLVED and key in ("1", "2"):
        return replace(state, step=Step.CONFIRM, solved=key == "1", misses=0)
    if step is Step.CONFIRM and key == "1":
        return replace(state, step=Step.DONE)
    if step is Step.CONFIRM and key == "2":
        if state.redos >= config.redos:
            return replace(state, step=Step.GIVEN_UP)
        return SurveyState(redos=state.redos + 1)
    if state.misses + 1 >= config.tries:
        return replace(state, step=Step.GIVEN_UP)
    return replace(state, misses=state.misses + 1)


def usable(script: SurveyScript) -> bool:
    """A script the keypad can answer: 1-8 labels, a number to read."""
    return 1 <= len(script.scale) <= MAX_SCALE and script.ticket_number.isdigit()


class RevisitSurveyRoute:
    """The FastAGI route of a revisit call: the keypad survey (the records are the backend's)."""

    def __init__(self, prompts: Prompts, backend: SurveyBackend, config: IvrConfig) -> None:
        self.prompts = prompts
        self.backend = backend
        self.config = config

    async def run(self, channel: AgiChannel) -> RouteOutcome:
        """Run the survey; one ``answered`` or ``abandoned`` per verified attempt, else none."""
        who = channel.request.who
        attempt = linkedid = None
        # The backend hears of a verified attempt only, and once: ``reported`` is set before
        # awaiting it.
        verified = reported = False

        def outcome(result: SurveyResult, detail: str | None) -> RouteOutcome:
            return RouteOutcome("revisit", channel.request.uniqueid, linkedid, result.value,
                                detail)

        async def abandon(reason: str) -> RouteOutcome:
            nonlocal reported
            log.info("AGI %s: revisit %s abandoned: %s", who, attempt, reason)
            if verified and attempt is not None and not reported:
                reported = True
                try:
                    await self.backend.abandoned(attempt, reason)
                except Exception:
                    log.exception("revisit %s: reporting it abandoned (%s) failed", attempt,
                                  reason)
            return outcome(SurveyResult.ABANDONED, reason)

        try:
            linkedid = await channel.get_variable("CHANNEL(linkedid)")
            raw = await channel.get_variable(ATTEMPT_VARIABLE)
            attempt = raw if raw and _ATTEMPT.fullmatch(raw) else None
            if attempt is None:
                log.warning("AGI %s: revisit call without a usable %s (%r)", who,
                            ATTEMPT_VARIABLE, (raw or "")[:40])
                await self.prompts.play(channel, ["revisit-unknown"])
                return await abandon("no-attempt-id")
            if not await self._verified(channel, attempt):
                await self.prompts.play(channel, ["revisit-unknown"])
                return outcome(SurveyResult.ABANDONED, "unverified-call")
            verified = True
            try:
                script = await self.backend.script(attempt)
            except Exception:
                log.exception("revisit %s: fetching its script failed", attempt)
                await self.prompts.play(channel, ["revisit-sorry"])
                return await abandon("backend-error")
            if script is None or not usable(script):
                log.warning("revisit %s: %s", attempt,
                            "no such attempt" if script is None else f"unusable {script}")
                await self.prompts.play(channel, ["revisit-unknown"])
                return await abandon("unknown-attempt")
            state = await self._ask(channel, script)
            if state.step is not Step.DONE:
                await self.prompts.play(channel, ["revisit-sorry"])
                return await abandon("no-valid-answer")
            reported = True
            try:
                await self.backend.answered(state.answer(attempt))
            except Exception:  # reported once, as promised: its failure is the backend's
                log.exception("revisit %s: recording the answer failed", attempt)
                await self.prompts.play(channel, ["revisit-sorry"])
                return outcome(SurveyResult.ANSWERED, "backend-error")
            log.info("AGI %s: revisit %s answered: %s", who, attempt, state.answer(attempt))
            with contextlib.suppress(CallerHungUp):  # the answer stands; goodbye is a courtesy
                await self.prompts.play(channel, ["revisit-thanks"])
            return outcome(SurveyResult.ANSWERED, None)
        except CallerHungUp:
            return await abandon("hangup")
        except IvrError as exc:
            log.warning("AGI %s: survey ended early: %s: %s", who, exc.error_id, exc.message)
            return await abandon("agi-error")
        except asyncio.CancelledError:  # the server stops: say so before letting go
            with contextlib.suppress(Exception, asyncio.CancelledError):
                async with asyncio.timeout(REPORT_TIMEOUT):
                    await asyncio.shield(abandon("interrupted"))
            raise

    async def _verified(self, channel: AgiChannel, attempt: str) -> bool:
        """Whether the call carries the attempt's secret; a failure is logged, never raised."""
        token = await channel.get_variable(TOKEN_VARIABLE)
        if not token:
            log.warning("AGI %s: revisit %s without %s: not a call the platform placed; "
                        "nothing recorded", channel.request.who, attempt, TOKEN_VARIABLE)
            return False
        try:
            if await self.backend.verify(attempt, token):
                return True
        except Exception:
            log.exception("revisit %s: checking its token failed; nothing recorded", attempt)
            return False
        log.warning("AGI %s: revisit %s with a wrong %s: not a call the platform placed; "
                    "nothing recorded", channel.request.who, attempt, TOKEN_VARIABLE)
        return False

    async def _ask(self, channel: AgiChannel, script: SurveyScript) -> SurveyState:
        """Introduce the ticket, then question the citizen until confirmed or given up."""
        async with contextlib.AsyncExitStack() as stack:
            summary = await stack.enter_async_context(self.prompts.spoken(script.summary))
            labels: list[Item | None] = []
            for label in script.scale:  # a label with no prompt of its own is spoken now
                name = self.prompts.name_of(label)
                labels.append(name if name is not None else
                              await stack.enter_async_context(self.prompts.spoken(label)))
            intro: list[Item] = ["revisit-intro", "revisit-ticket",
                                 *self.prompts.digits(script.ticket_number)]
            if summary is not None:
                intro += ["revisit-summary", summary]
            await self.prompts.play(channel, intro)
            state = SurveyState()
            while state.step not in (Step.DONE, Step.GIVEN_UP):
                question = self._question(state, script.scale, labels)
                if state.misses:
                    question.insert(0, "revisit-invalid")
                key = await self.prompts.ask(channel, question, self.config.key_timeout)
                state = advance(state, key, script.scale, self.config)
            return state

    def _question(self, state: SurveyState, scale: tuple[str, ...],
                  labels: list[Item | None]) -> list[Item]:
        if state.step is Step.RATING:
            options: list[Item] = ["revisit-rate"]
            for key, label in enumerate(labels, start=1):
                options += [*([label] if label is not None else []), f"press-{key}"]
            return [*options, "revisit-no-call"]
        if state.step is Step.SOLVED:
            return ["revisit-solved"]
        readback: list[Item] = []
        if state.rating is not None:
            label = labels[scale.index(state.rating)]
            readback += ["revisit-you-chose", *([label] if label is not None else [])]
        if state.solved is not None:
            readback.append("revisit-solved-yes" if state.solved else "revisit-solved-no")
        if state.do_not_call:
            readback.append("revisit-no-call-noted")
        return [*readback, "revisit-confirm"]
