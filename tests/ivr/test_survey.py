"""The revisit survey: the state machine alone, then whole calls over FastAGI."""

import asyncio

import pytest

from ivr.config import IvrConfig
from ivr.outcome import RouteOutcome
from ivr.ports import SurveyAnswer, SurveyScript
from ivr.server import IvrServer
from ivr.survey import Step, SurveyState, advance
from tests.ivr.client import HANGUP, FakeAsterisk, environment, said_digits
from tests.ivr.fakes import TICKET, FakeSurveys, token_of

SCALE = ("满意", "基本满意", "不满意")
CONFIG = IvrConfig()


def run(*keys: str) -> SurveyState:
    state = SurveyState()
    for key in keys:
        state = advance(state, key, SCALE, CONFIG)
    return state


def test_rating_solved_confirmed() -> None:
    state = run("3", "2", "1")
    assert (state.step, state.rating, state.solved, state.do_not_call) == (
        Step.DONE, "不满意", False, False)


def test_nine_asks_not_to_be_called_again_at_any_question() -> None:
    assert run("9", "1") == SurveyState(Step.DONE, None, None, True)
    assert run("1", "9", "1") == SurveyState(Step.DONE, "满意", None, True)
    assert run("1", "1", "9", "1") == SurveyState(Step.DONE, "满意", True, True)


def test_nine_again_at_the_confirmation_counts_as_a_miss() -> None:
    assert run("9", "9", "9").step is Step.CONFIRM
    assert run("9", "9", "9", "9").step is Step.GIVEN_UP


def test_redo_starts_the_answers_again() -> None:
    state = run("1", "1", "2")
    assert state == SurveyState(Step.RATING, redos=1)
    assert run("1", "1", "2", "2", "2", "1").rating == "基本满意"


def test_redo_is_bounded() -> None:
    assert run(*["1", "1", "2"] * 3, "1", "1", "2").step is Step.GIVEN_UP


@pytest.mark.parametrize("keys", [("4", "0", "*"), ("", "", ""), ("1", "3", "", "#")])
def test_wrong_keys_reprompt_twice_then_give_up(keys: tuple[str, ...]) -> None:
    assert run(*keys).step is Step.GIVEN_UP


def test_a_miss_then_a_right_key_carries_on() -> None:
    assert run("7", "", "2").step is Step.SOLVED


def env() -> dict[str, str]:
    return environment("revisit", agi_context="revisit-survey")


async def survey(server: IvrServer, *inputs: str, attempt: str | None = "att-1",
                 token: str | None = "", **options: object) -> FakeAsterisk:
    """A survey call; its token is the attempt's own unless ``token`` (None: no token)."""
    asterisk = FakeAsterisk(list(inputs), **options)  # type: ignore[arg-type]
    if attempt is not None:
        asterisk.variables["HOTLINE_REVISIT_ID"] = attempt
    if token is not None:
        asterisk.variables["HOTLINE_REVISIT_TOKEN"] = token or token_of(attempt or "")
    return await asterisk.run(server.port, env())


async def test_a_full_survey_reports_the_confirmed_answer_once(
        server: IvrServer, surveys: FakeSurveys, finished: list[RouteOutcome]) -> None:
    asterisk = await survey(server, "2", "1", "1")
    assert surveys.answers == [SurveyAnswer("att-1", "基本满意", True, False)]
    assert surveys.abandons == []
    played = asterisk.played()
    assert played[:2] == ["revisit-intro", "revisit-ticket"]
    assert said_digits(played[:played.index("revisit-rate")]) == TICKET
    rating = played[played.index("revisit-rate"):played.index("revisit-no-call") + 1]
    assert rating == ["revisit-rate", "scale-satisfied", "press-1", "scale-basically-satisfied",
                      "press-2", "scale-unsatisfied", "press-3", "revisit-no-call"]
    assert asterisk.after("revisit-solved") == [
        "revisit-you-chose", "scale-basically-satisfied", "revisit-solved-yes",
        "revisit-confirm", "revisit-thanks"]
    assert finished[-1].result == "answered" and finished[-1].route == "revisit"


async def test_do_not_call_again_is_confirmed_and_reported(server: IvrServer,
                                                           surveys: FakeSurveys) -> None:
    asterisk = await survey(server, "9", "1")
    assert surveys.answers == [SurveyAnswer("att-1", None, None, True)]
    assert "revisit-no-call-noted" in asterisk.played()


async def test_redo_then_confirm_reports_only_the_second_answer(server: IvrServer,
                                                                surveys: FakeSurveys) -> None:
    await survey(server, "3", "2", "2", "1", "1", "1")
    assert surveys.answers == [SurveyAnswer("att-1", "满意", True, False)]


async def test_a_five_level_scale_takes_keys_one_to_five(server: IvrServer,
                                                         surveys: FakeSurveys) -> None:
    five = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
    surveys.scripts["att-1"] = SurveyScript("att-1", TICKET, "路灯", five)
    asterisk = await survey(server, "5", "2", "1")
    assert surveys.answers[0].rating == "非常不满意"
    assert "scale-very-unsatisfied" in asterisk.played()


@pytest.mark.parametrize("inputs", [[HANGUP], ["1", HANGUP], ["1", "2", HANGUP],
                                    ["9", HANGUP], ["1", "1", "2", HANGUP]])
async def test_a_hang_up_at_any_step_abandons_and_never_answers(
        server: IvrServer, surveys: FakeSurveys, inputs: list[str]) -> None:
    asterisk = await survey(server, *inputs)
    assert surveys.answers == []
    assert surveys.abandons == [("att-1", "hangup")]
    assert asterisk.after_hang_up() == ["CHANNEL STATUS"]


async def test_a_hang_up_during_the_introduction(server: IvrServer,
                                                 surveys: FakeSurveys) -> None:
    await survey(server, hang_up_when=lambda c: "revisit-ticket" in c)
    assert surveys.abandons == [("att-1", "hangup")] and surveys.answers == []


async def test_a_hang_up_during_the_thanks_keeps_the_answer(server: IvrServer,
                                                           surveys: FakeSurveys) -> None:
    await survey(server, "1", "1", "1", hang_up_when=lambda c: "revisit-thanks" in c)
    assert len(surveys.answers) == 1 and surveys.abandons == []


async def test_no_valid_answer_abandons(server: IvrServer, surveys: FakeSurveys) -> None:
    asterisk = await survey(server, "7", "", "0")
    assert surveys.abandons == [("att-1", "no-valid-answer")] and surveys.answers == []
    assert asterisk.played().count("revisit-invalid") == 2
    assert asterisk.played()[-1] == "revisit-sorry"


async def test_an_unknown_attempt_apologises(server: IvrServer, surveys: FakeSurveys,
                                             finished: list[RouteOutcome]) -> None:
    asterisk = await survey(server, attempt="att-404")
    assert asterisk.played() == ["revisit-unknown"]
    assert surveys.abandons == [("att-404", "unknown-attempt")] and surveys.answers == []
    assert (finished[-1].result, finished[-1].detail) == ("abandoned", "unknown-attempt")


@pytest.mark.parametrize("attempt", [None, "", "att 1; rm", "x" * 200])
async def test_a_call_without_a_usable_attempt_id_reports_nothing(
        server: IvrServer, surveys: FakeSurveys, attempt: str | None) -> None:
    asterisk = await survey(server, attempt=attempt)
    assert asterisk.played() == ["revisit-unknown"]
    assert surveys.reports == 0


@pytest.mark.parametrize("token", [None, "secret-att-2", "secret-att-1x", "密钥"])
async def test_a_call_without_the_attempts_token_is_let_go_and_nothing_is_recorded(
        server: IvrServer, surveys: FakeSurveys, finished: list[RouteOutcome],
        caplog: pytest.LogCaptureFixture, token: str | None) -> None:
    # A local process speaking FastAGI names a live attempt but cannot know its secret.
    asterisk = await survey(server, "1", "1", "1", token=token)
    assert asterisk.played() == ["revisit-unknown"]  # a polite goodbye, nothing asked
    assert surveys.reports == 0 and surveys.asked == []
    assert (finished[-1].result, finished[-1].detail) == ("abandoned", "unverified-call")
    assert ("without HOTLINE_REVISIT_TOKEN" if token is None
            else "with a wrong HOTLINE_REVISIT_TOKEN") in caplog.text
    assert "secret-att" not in caplog.text  # no token reaches the log


async def test_a_backend_failing_to_check_the_token_records_nothing(
        server: IvrServer, surveys: FakeSurveys) -> None:
    surveys.broken_verify = True
    asterisk = await survey(server, "1", "1", "1")
    assert asterisk.played() == ["revisit-unknown"]
    assert surveys.reports == 0 and surveys.asked == []


@pytest.mark.parametrize("scale", [(), tuple(f"级别{i}" for i in range(9))])
async def test_a_scale_the_keypad_cannot_answer_is_refused(
        server: IvrServer, surveys: FakeSurveys, scale: tuple[str, ...]) -> None:
    surveys.scripts["att-1"] = SurveyScript("att-1", TICKET, "路灯", scale)
    await survey(server, "1")
    assert surveys.abandons == [("att-1", "unknown-attempt")]


async def test_a_broken_backend_abandons_with_its_reason(server: IvrServer,
                                                         surveys: FakeSurveys) -> None:
    surveys.broken = True
    asterisk = await survey(server)
    assert asterisk.played() == ["revisit-sorry"]
    assert surveys.abandons == [("att-1", "backend-error")]


async def test_stopping_the_server_mid_survey_reports_it_interrupted(
        server: IvrServer, surveys: FakeSurveys) -> None:
    started = asyncio.Event()

    class Stalled(FakeAsterisk):
        def answer(self, command: str) -> list[str]:
            if command.startswith("GET DATA"):
                started.set()
                return []  # Asterisk still listening for the key
            return list(super().answer(command))

    asterisk = Stalled(variables={"HOTLINE_REVISIT_ID": "att-1", "CHANNEL(linkedid)": "1.0",
                                  "HOTLINE_REVISIT_TOKEN": token_of("att-1")})
    client = asyncio.create_task(asterisk.run(server.port, env()))
    await asyncio.wait_for(started.wait(), 5)
    await server.stop(grace=0.1)
    await client
    assert surveys.abandons == [("att-1", "interrupted")] and surveys.answers == []
