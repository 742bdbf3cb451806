"""Following a ticket by its number: check digit, lookup, what the caller hears."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivr.follow import MAX_DIGITS, well_formed
from ivr.outcome import RouteOutcome
from ivr.ports import TicketStatus
from ivr.prompts.player import Prompts
from ivr.server import IvrServer
from kernel.numbers import is_ticket_number
from tests.ivr.client import HANGUP, FakeAsterisk, said_digits
from tests.ivr.fakes import TICKET, FakeTickets, number_with_check, with_bad_check
from tickets.workflow.numbers import ticket_number


@given(st.integers(1, 10**9), st.datetimes(datetime(2020, 1, 1), datetime(2060, 1, 1)))
def test_every_number_tickets_makes_is_well_formed_here(ticket_id: int, at: datetime) -> None:
    number = ticket_number(ticket_id, at.replace(tzinfo=UTC))
    assert well_formed(number) == number


@given(st.text("0123456789", min_size=13, max_size=MAX_DIGITS))
def test_the_check_digit_agrees_with_tickets(keys: str) -> None:
    assert (well_formed(keys) is not None) == is_ticket_number(keys)


@pytest.mark.parametrize("keys", ["", "12345", "2603020000171*", "1" * 21,
                                  with_bad_check("260302000017")])
def test_malformed_numbers(keys: str) -> None:
    assert well_formed(keys) is None


async def test_a_caller_follows_a_ticket_and_hears_state_and_due_date(
        server: IvrServer, tickets: FakeTickets, finished: list[RouteOutcome]) -> None:
    asterisk = await FakeAsterisk(["2", TICKET + "#"]).run(server.port)
    assert tickets.asked == [TICKET]
    heard = asterisk.after("follow-enter")
    assert heard[0] == "follow-ticket" and said_digits(heard) == TICKET
    assert heard[heard.index("follow-state") + 1] == "state-handling"  # 办理中 has a prompt
    due = heard[heard.index("follow-due") + 1:heard.index("follow-done")]
    assert due == ["number-2", "number-0", "number-2", "number-6", "year", "number-3",
                   "month", "number-16", "day"]
    assert "follow-overdue" not in heard
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "followed"
    assert finished[-1].detail == TICKET


async def test_an_overdue_ticket_without_a_due_date_says_so(
        server: IvrServer, tickets: FakeTickets) -> None:
    tickets.tickets[TICKET] = TicketStatus(TICKET, "已派单", None, overdue=True)
    asterisk = await FakeAsterisk(["2", TICKET]).run(server.port)
    heard = asterisk.after("follow-enter")
    assert "follow-no-due" in heard and "follow-overdue" in heard
    assert "state-dispatched" in heard


async def test_a_state_label_without_a_prompt_and_no_speech_is_left_out(
        server: IvrServer, tickets: FakeTickets) -> None:
    tickets.tickets[TICKET] = TicketStatus(TICKET, "某种新状态", date(2026, 3, 16), False)
    asterisk = await FakeAsterisk(["2", TICKET]).run(server.port)
    assert "follow-state" not in asterisk.played()
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "followed"


async def test_a_bad_check_digit_is_refused_before_any_lookup(
        server: IvrServer, tickets: FakeTickets) -> None:
    asterisk = await FakeAsterisk(["2", with_bad_check("260302000017"), TICKET]).run(
        server.port)
    assert tickets.asked == [TICKET]  # only the good one was looked up
    assert asterisk.after("follow-enter")[0] == "follow-bad-number"
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "followed"


async def test_a_number_that_does_not_exist_reprompts(server: IvrServer,
                                                      tickets: FakeTickets) -> None:
    unknown = number_with_check("260302999999")
    asterisk = await FakeAsterisk(["2", unknown, TICKET]).run(server.port)
    assert tickets.asked == [unknown, TICKET]
    assert "follow-not-found" in asterisk.played()
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "followed"


async def test_three_bad_numbers_go_to_an_agent(server: IvrServer, tickets: FakeTickets) -> None:
    unknown = number_with_check("260302999999")
    asterisk = await FakeAsterisk(["2", "123", "", unknown]).run(server.port)
    assert tickets.asked == [unknown]
    assert asterisk.played()[-1] == "to-agent"
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "agent"


async def test_a_broken_lookup_puts_the_caller_through(server: IvrServer,
                                                       tickets: FakeTickets) -> None:
    tickets.broken = True
    asterisk = await FakeAsterisk(["2", TICKET]).run(server.port)
    assert asterisk.played()[-1] == "follow-unavailable"
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "agent"


async def test_hanging_up_while_keying_the_number(server: IvrServer,
                                                  tickets: FakeTickets) -> None:
    asterisk = await FakeAsterisk(["2", HANGUP]).run(server.port)
    assert tickets.asked == []
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "hungup"


async def test_hanging_up_while_hearing_the_status(server: IvrServer) -> None:
    asterisk = await FakeAsterisk(["2", TICKET], hang_up_when=lambda c: "follow-due" in c).run(
        server.port)
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "hungup"


async def test_the_number_is_read_after_a_key_during_the_prompt(server: IvrServer,
                                                                tickets: FakeTickets) -> None:
    await FakeAsterisk(["2", "!" + TICKET + "#"]).run(server.port)
    assert tickets.asked == [TICKET]  # first key cut the prompt, GET DATA read the rest


def test_dates_are_read_as_spoken(prompts: Prompts) -> None:
    assert prompts.date(date(2027, 10, 1)) == [
        "number-2", "number-0", "number-2", "number-7", "year", "number-10", "month",
        "number-1", "day"]


async def test_after_the_state_the_ivr_says_goodbye_and_ends_the_call_itself(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await FakeAsterisk(["2", TICKET + "#", ""]).run(server.port)
    assert asterisk.after("follow-done") == ["follow-goodbye"]
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "followed"
    # the result first (the call's record keeps it), then the hang-up: never the queue
    result = next(i for i, c in enumerate(asterisk.commands) if "HOTLINE_IVR_RESULT" in c)
    assert asterisk.commands[result + 1:] == ["HANGUP"]
    assert finished[-1].result == "followed"


async def test_zero_after_the_state_puts_the_caller_through_to_an_agent(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await FakeAsterisk(["2", TICKET + "#", "0"]).run(server.port)
    assert asterisk.after("follow-done") == ["to-agent"]
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "agent"
    assert "HANGUP" not in asterisk.commands
    assert (finished[-1].result, finished[-1].detail) == ("agent", TICKET)


async def test_a_caller_who_hangs_up_after_hearing_the_state_was_served(
        server: IvrServer, finished: list[RouteOutcome]) -> None:
    asterisk = await FakeAsterisk(["2", TICKET + "#", HANGUP]).run(server.port)
    assert asterisk.set["HOTLINE_IVR_RESULT"] == "followed"
    assert finished[-1].result == "followed"
    assert "HANGUP" not in asterisk.after_hang_up()  # nothing to hang up any more
