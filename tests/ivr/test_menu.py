"""The main menu over FastAGI, driven by a fake Asterisk."""

import pytest

from ivr.config import IvrConfig, MenuMode
from ivr.outcome import RouteOutcome
from ivr.server import IvrServer
from tests.ivr.client import HANGUP, FakeAsterisk
from tests.ivr.fakes import TICKET, FakeTickets


async def call(server: IvrServer, *inputs: str, **options: object) -> FakeAsterisk:
    return await FakeAsterisk(list(inputs), **options).run(server.port)  # type: ignore[arg-type]


async def test_the_menu_marks_the_stage_first_and_its_result_last(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await call(server, "0")
    assert asterisk.commands[0] == "SET VARIABLE HOTLINE_STAGE ivr"
    assert list(asterisk.set.items())[-1] == ("HOTLINE_IVR_RESULT", "agent")
    assert asterisk.played()[:2] == ["welcome", "menu-main"]
    assert asterisk.closed_by_server  # back to the dialplan, which queues the call
    [outcome] = finished
    assert (outcome.route, outcome.result, outcome.linkedid) == ("ivr", "agent", "1700000000.0")
    assert outcome.uniqueid == "1700000000.1"


async def test_describe_sets_the_variable_plays_the_prompt_and_waits_silently(
        server: IvrServer) -> None:
    asterisk = await call(server, "1", "")
    assert asterisk.set == {"HOTLINE_STAGE": "ivr", "HOTLINE_DESCRIBE": "1",
                            "HOTLINE_IVR_RESULT": "describe"}
    assert asterisk.after("menu-main") == ["describe", "tone"]
    assert asterisk.commands[-2] == "WAIT FOR DIGIT 20000"  # ivr_describe_seconds


async def test_enterprise_line_sets_the_queue(server: IvrServer) -> None:
    asterisk = await call(server, "3")
    assert asterisk.set["HOTLINE_QUEUE"] == "enterprise"
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "enterprise"
    assert asterisk.after("menu-main") == ["to-enterprise"]


async def test_a_key_during_the_prompt_is_taken_at_once(server: IvrServer) -> None:
    asterisk = await call(server, "!3")
    assert asterisk.played() == ["welcome", "to-enterprise"]  # the menu prompt was cut short
    assert asterisk.set["HOTLINE_QUEUE"] == "enterprise"


@pytest.mark.parametrize("keys", [["7", "*", "#"], ["", "", ""], ["8", "", "5"]])
async def test_wrong_keys_or_silence_reprompt_twice_then_an_agent(
        server: IvrServer, keys: list[str]) -> None:
    asterisk = await call(server, *keys)
    assert asterisk.played().count("menu-main") == 3
    assert asterisk.played()[-1] == "to-agent"
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "agent"
    assert "HOTLINE_QUEUE" not in asterisk.set


async def test_a_wrong_key_then_a_right_one(server: IvrServer) -> None:
    asterisk = await call(server, "8", "3")
    assert asterisk.played() == ["welcome", "menu-main", "menu-invalid", "menu-main",
                                 "to-enterprise"]


async def test_no_key_is_told_apart_from_a_wrong_key(server: IvrServer) -> None:
    asterisk = await call(server, "", "0")
    assert asterisk.played()[2] == "menu-no-input"


@pytest.mark.parametrize("inputs", [[HANGUP], ["1", HANGUP], ["2", HANGUP], ["7", HANGUP],
                                    ["9", HANGUP]])
async def test_a_hang_up_at_any_step_ends_cleanly(server: IvrServer, tickets: FakeTickets,
                                                  finished: list[RouteOutcome],
                                                  inputs: list[str]) -> None:
    asterisk = await call(server, *inputs)
    assert asterisk.hung_up and asterisk.closed_by_server
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "hungup"
    assert "HOTLINE_QUEUE" not in asterisk.set
    assert tickets.asked == []
    # After the hang-up: the -1 checked, the result set, nothing else.
    assert asterisk.after_hang_up() == ["CHANNEL STATUS", "SET VARIABLE HOTLINE_IVR_RESULT hungup"]
    assert finished[-1].result == "hungup"


async def test_a_hang_up_while_a_prompt_plays(server: IvrServer) -> None:
    asterisk = await call(server, hang_up_when=lambda c: "menu-main" in c)
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "hungup"
    assert asterisk.after_hang_up() == ["CHANNEL STATUS", "SET VARIABLE HOTLINE_IVR_RESULT hungup"]


async def test_a_prompt_asterisk_cannot_open_is_skipped_not_taken_for_a_hang_up(
        server: IvrServer) -> None:
    asterisk = await call(server, "3", unplayable={"welcome", "menu-main"})
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "enterprise"


@pytest.mark.parametrize("config", [IvrConfig(mode=MenuMode.DIRECT)])
async def test_direct_to_agent_skips_the_menu(server: IvrServer) -> None:
    asterisk = await call(server)
    assert asterisk.played() == []
    assert asterisk.set == {"HOTLINE_STAGE": "ivr", "HOTLINE_IVR_RESULT": "agent"}


GREETING = IvrConfig(mode=MenuMode.GREETING)


@pytest.mark.parametrize("config", [GREETING])
@pytest.mark.parametrize("keys", [[""], ["0"], ["1"], ["7"]])
async def test_a_greeting_line_puts_the_caller_through_on_any_other_key_or_none(
        server: IvrServer, keys: list[str]) -> None:
    asterisk = await call(server, *keys)
    assert asterisk.played() == ["welcome", "greeting"]
    assert asterisk.set == {"HOTLINE_STAGE": "ivr", "HOTLINE_IVR_RESULT": "agent"}
    assert asterisk.closed_by_server  # back to the dialplan's queue, once, no re-prompt


@pytest.mark.parametrize("config", [GREETING])
async def test_a_greeting_line_keeps_the_emergency_key(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await call(server, "9", "2")
    assert asterisk.after("greeting") == ["menu-emergency", "to-emergency"]
    assert asterisk.set["HOTLINE_EMERGENCY"] == "120"
    assert finished[-1].result == "emergency"


@pytest.mark.parametrize("config", [GREETING])
async def test_a_greeting_line_keeps_following_a_ticket_by_its_number(
        server: IvrServer, tickets: FakeTickets) -> None:
    asterisk = await call(server, "!2", TICKET + "#")
    assert asterisk.played()[:2] == ["welcome", "follow-enter"]  # the greeting cut short
    assert tickets.asked == [TICKET] and asterisk.set["HOTLINE_IVR_RESULT"] == "followed"


@pytest.mark.parametrize("config", [IvrConfig(describe_seconds=0)])
async def test_no_describe_wait_when_it_is_zero(server: IvrServer) -> None:
    asterisk = await call(server, "1")
    assert not any(c.startswith("WAIT FOR DIGIT") for c in asterisk.commands)
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "describe"


async def test_an_emergency_key_names_the_kind_for_the_linkage_and_goes_to_an_agent(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await call(server, "9", "1")
    assert asterisk.set["HOTLINE_EMERGENCY"] == "119"
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "emergency"
    assert asterisk.after("menu-main") == ["menu-emergency", "to-emergency"]
    assert finished[-1].detail == "119"


async def test_an_emergency_menu_without_a_valid_key_still_reaches_an_agent(
        server: IvrServer) -> None:
    asterisk = await call(server, "9", "7", "", "8")
    assert "HOTLINE_EMERGENCY" not in asterisk.set
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "agent"
    assert asterisk.played()[-1] == "to-emergency"
