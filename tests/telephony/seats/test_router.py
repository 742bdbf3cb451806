"""Who may steer what, through the served API on both databases: seats bound by
administrators, an agent on their own seat and calls only, dial targets from the units'
registered numbers or the allow-list. No Asterisk: every refusal comes before it is asked,
and what passes the checks reaches the (unconnected) AMI link and answers 503."""

from types import MappingProxyType

import pytest

from telephony.ami.events import (
    AgentConnect,
    Channel,
    Newchannel,
    QueueCallerJoin,
    QueueMemberAdded,
)
from telephony.ami.link import AmiLink
from telephony.controller.service import CallController
from telephony.deps import TelephonyRuntime
from tests.conftest import Api
from tests.console.served import member

EVIL = "Local/00900555123@outbound-revisit/n"


def _channel(name: str, uniqueid: str, linkedid: str) -> Channel:
    return Channel(name, uniqueid, linkedid, 6, "13800138000", "", "", "", "hotline-inbound",
                   "12345", MappingProxyType({}))


@pytest.fixture
async def line(api: Api) -> CallController:
    """A controller whose picture has call 100.1 answered on seat PJSIP/8001, no Asterisk."""
    telephony: TelephonyRuntime = api.app.state.telephony
    controller = CallController(api.runtime.sessionmaker, api.clock)
    telephony.controller = controller
    telephony.link = AmiLink("127.0.0.1", 1, "nobody", "nothing")  # never started
    caller = _channel("PJSIP/carrier-0001", "100.1", "100.1")
    agent = _channel("PJSIP/8001-0002", "100.2", "100.1")
    for event in (member(QueueMemberAdded, "PJSIP/8001"), Newchannel(caller),
                  QueueCallerJoin(caller, "main", 1, 1), Newchannel(agent),
                  AgentConnect(caller, agent, "main", "8001", "PJSIP/8001", 3, 2)):
        await controller.on_event(event)
    return controller


async def bind(api: Api, extension: str, username: str) -> None:
    bound = await api.call("PUT", f"/telephony/seats/{extension}", json={"username": username})
    assert bound.status_code == 200, bound.text


async def test_administrators_bind_users_to_seats_and_each_user_reads_their_own(
        api: Api) -> None:
    assert (await api.call("GET", "/telephony/seats/mine", "agent")).json()["extension"] is None
    await bind(api, "8001", "agent")
    mine = (await api.call("GET", "/telephony/seats/mine", "agent")).json()
    assert mine["extension"] == "8001" and mine["interfaces"][0] == "PJSIP/8001"
    assert "main" in mine["queues"] and mine["supervises"] is False
    taken = await api.call("PUT", "/telephony/seats/8001", json={"username": "reviewer"})
    assert (taken.status_code, taken.json()["error_id"]) == (409, "seat-taken")
    unknown = await api.call("PUT", "/telephony/seats/9999", json={"username": "reviewer"})
    assert (unknown.status_code, unknown.json()["error_id"]) == (422, "unknown-extension")
    await bind(api, "8002", "agent")  # a user has one seat: 8001 is free again
    assert [s["extension"] for s in (await api.call("GET", "/telephony/seats")).json()] == ["8002"]
    refused = await api.call("PUT", "/telephony/seats/8003", "agent", json={"username": "agent"})
    assert refused.status_code == 403
    freed = await api.call("DELETE", "/telephony/seats/8002")
    assert freed.status_code == 204
    assert (await api.call("GET", "/telephony/seats")).json() == []


async def test_an_agent_acts_only_on_their_own_seat_and_only_on_seats_of_the_pbx(
        api: Api) -> None:
    no_seat = await api.call("POST", "/telephony/agents/login", "agent", json={})
    assert (no_seat.status_code, no_seat.json()["error_id"]) == (403, "no-seat-bound")
    await bind(api, "8001", "agent")
    for action, body in (("login", {"interface": "PJSIP/8002"}),
                         ("pause", {"interface": "PJSIP/8002", "reason": "午餐"}),
                         ("unpause", {"interface": "PJSIP/8002"}),
                         ("logout", {"interface": "PJSIP/8002"})):
        other = await api.call("POST", f"/telephony/agents/{action}", "agent", json=body)
        assert (other.status_code, other.json()["error_id"]) == (403, "not-your-seat"), action
    evil = await api.call("POST", "/telephony/agents/login", "agent", json={"interface": EVIL})
    assert (evil.status_code, evil.json()["error_id"]) == (422, "interface-not-allowed")
    queue = await api.call("POST", "/telephony/agents/login", "agent", json={"queue": "nope"})
    assert (queue.status_code, queue.json()["error_id"]) == (422, "queue-not-configured")
    # What passes the checks goes on to Asterisk: no link in this process, 503.
    own = await api.call("POST", "/telephony/agents/login", "agent", json={})
    assert (own.status_code, own.json()["error_id"]) == (503, "ami-link-off")


async def test_a_supervisor_acts_on_any_seat_of_the_pbx_but_never_on_an_outside_interface(
        api: Api) -> None:
    evil = await api.call("POST", "/telephony/agents/login", "supervisor",
                          json={"interface": EVIL})
    assert (evil.status_code, evil.json()["error_id"]) == (422, "interface-not-allowed")
    other = await api.call("POST", "/telephony/agents/pause", "supervisor",
                           json={"interface": "PJSIP/8005", "reason": "培训"})
    assert (other.status_code, other.json()["error_id"]) == (503, "ami-link-off")
    # No trunk in this deployment: the simulator's answerers may log in, on known seats only.
    simulated = await api.call("POST", "/telephony/agents/login", "supervisor",
                               json={"interface": "Local/8003@sim-agent/n"})
    assert simulated.status_code == 503
    unknown = await api.call("POST", "/telephony/agents/login", "supervisor",
                             json={"interface": "Local/9999@sim-agent/n"})
    assert unknown.status_code == 422


async def test_an_agent_steers_only_the_calls_their_seat_answered(
        api: Api, line: CallController) -> None:
    await bind(api, "8002", "agent")
    for path, body in (("conference", {"unit_number": "04353333333"}),
                       ("transfer", {"to": "8003"}), ("transfer-provincial", None),
                       ("agent-leaves", None), ("hang-up", None)):
        refused = await api.call("POST", f"/telephony/calls/100.1/{path}", "agent", json=body)
        assert (refused.status_code, refused.json()["error_id"]) == (403, "not-your-call"), path
    await bind(api, "8001", "agent")
    mine = await api.call("POST", "/telephony/calls/100.1/conference", "agent",
                          json={"unit_number": "0435-3333333"})  # the water unit's contact
    assert (mine.status_code, mine.json()["error_id"]) == (503, "ami-not-connected"), mine.text
    gone = await api.call("POST", "/telephony/calls/9.9/conference", "agent",
                          json={"unit_number": "04353333333"})
    assert gone.status_code == 404


async def test_calls_dial_only_registered_unit_numbers_the_allow_list_or_our_seats(
        api: Api, line: CallController) -> None:
    for path, body, error in (
            ("conference", {"unit_number": "00900555123"}, "dial-target-not-allowed"),
            ("transfer", {"to": "00900555123"}, "unknown-extension"),
            ("transfer", {"to": "nosuchqueue"}, "queue-not-configured"),
            ("monitor", {"mode": "listen", "supervisor_phone": "00900555123"},
             "dial-target-not-allowed"),
            ("monitor", {"mode": "listen", "supervisor_phone": "04353333333"},
             "dial-target-not-allowed")):  # a unit's number never rings for monitoring
        refused = await api.call("POST", f"/telephony/calls/100.1/{path}", "supervisor",
                                 json=body)
        assert refused.status_code in (403, 422) and refused.json()["error_id"] == error, path
    added = await api.call("POST", "/telephony/dial-targets",
                           json={"number": "0435-119-0000", "label": "消防支队值班室"})
    assert added.status_code == 201 and added.json()["number"] == "04351190000"
    assert (await api.call("POST", "/telephony/dial-targets", "supervisor",
                           json={"number": "1", "label": "x"})).status_code == 403
    for path, body in (("conference", {"unit_number": "04351190000"}),
                       ("monitor", {"mode": "listen", "supervisor_phone": "04351190000"}),
                       ("monitor", {"mode": "barge", "supervisor_phone": "8005"}),
                       ("transfer", {"to": "8003"}), ("transfer", {"to": "enterprise"})):
        allowed = await api.call("POST", f"/telephony/calls/100.1/{path}", "supervisor",
                                 json=body)
        assert allowed.status_code == 503, (path, allowed.text)  # on to Asterisk
    removed = await api.call("DELETE", "/telephony/dial-targets/04351190000")
    assert removed.status_code == 204
    again = await api.call("POST", "/telephony/calls/100.1/conference", "supervisor",
                           json={"unit_number": "04351190000"})
    assert again.json()["error_id"] == "dial-target-not-allowed"


async def test_a_disabled_unit_number_is_no_longer_dialled(api: Api, line: CallController
                                                         ) -> None:
    from sqlalchemy import update

    from tickets.accounts.models import Unit

    async with api.runtime.sessionmaker() as session:
        await session.execute(update(Unit).values(active=False))
        await session.commit()
    refused = await api.call("POST", "/telephony/calls/100.1/conference", "supervisor",
                             json={"unit_number": "04353333333"})
    assert refused.json()["error_id"] == "dial-target-not-allowed"
