"""A confidential requester stays hidden from the unit in the ticket's texts too.

The agent's words repeat the caller's name and number; for a unit handler every phone
number in them is masked whole and the requester's name is starred out, in the ticket, its
history, the unit's lists and the supervision notes. The centre reads everything as written.
"""

import json

import pytest

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import act, create
from tickets.workflow.masking import Masker

CONTENT = ("市民张三（张先生）来电，电话13812345678，备用 0435-3216549，"
           "手机 138 1234 5678：新华街1号小区停水三天")
SUMMARY = "张先生反映停水，回电+86 13812345678"
SECRETS = ("张三", "张先生", "13812345678", "0435-3216549", "138 1234 5678", "1234")


def assert_hidden(shown: object) -> None:
    text = json.dumps(shown, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text, (secret, text)


async def confidential(api: Api) -> str:
    number: str = (await create(api, identity_disclosable=False, content=CONTENT,
                                summary=SUMMARY))["number"]
    await act(api, number, "dispatch", "reviewer", lead_unit_id=api.units["water"],
              reason="请尽快联系张先生 13812345678")
    return number


async def test_a_unit_reads_a_confidential_ticket_without_the_requester(api: Api) -> None:
    number = await confidential(api)
    seen = (await api.call("GET", f"/tickets/{number}", "water")).json()
    assert seen["requester"] is None and seen["requester_masked"] is None
    assert_hidden(seen)
    assert seen["content"] == ("市民**（*先生）来电，电话***********，备用 ****-*******，"
                               "手机 *** **** ****：新华街1号小区停水三天")
    assert seen["summary"] == "*先生反映停水，回电+** ***********"
    history = (await api.call("GET", f"/tickets/{number}/history", "water")).json()
    assert history[-1]["reason"] == "请尽快联系*先生 ***********"
    assert_hidden(history)
    inbox = (await api.call("GET", "/tickets?open=true", "water")).json()
    assert [t["number"] for t in inbox["items"]] == [number]
    assert_hidden(inbox)


async def test_the_units_due_lists_and_supervision_notes_are_masked_too(api: Api) -> None:
    number = await confidential(api)
    await api.call("POST", f"/supervision/tickets/{number}/reminders", "supervisor",
                   json={"form": "system", "note": "张三又来电 13812345678 催问"})
    api.clock.set("2026-03-10T10:00:00+08:00")  # past the 9 March deadline
    overdue = (await api.call("GET", "/supervision/overdue", "water")).json()
    assert [t["number"] for t in overdue["items"]] == [number]
    assert_hidden(overdue)
    notes = (await api.call("GET", f"/supervision/tickets/{number}/supervisions",
                            "water")).json()
    assert notes["reminders"][0]["note"] == "**又来电 *********** 催问"
    assert_hidden(notes)


async def test_the_centre_and_units_of_open_tickets_read_the_words_as_written(
    api: Api,
) -> None:
    number = await confidential(api)
    centre = (await api.call("GET", f"/tickets/{number}", "supervisor")).json()
    assert centre["content"] == CONTENT and centre["summary"] == SUMMARY
    history = (await api.call("GET", f"/tickets/{number}/history", "supervisor")).json()
    assert history[-1]["reason"] == "请尽快联系张先生 13812345678"
    open_ticket = (await create(api, content=CONTENT))["number"]
    await act(api, open_ticket, "dispatch", "reviewer", lead_unit_id=api.units["water"])
    seen = (await api.call("GET", f"/tickets/{open_ticket}", "water")).json()
    assert seen["content"] == CONTENT  # the requester agreed to be known to the unit


@pytest.mark.parametrize("kept", ["工单2603020000017已办结", "拨打12345热线", "门牌号1号楼302",
                                  "2026-03-02 10:00", "金额13812元"])
def test_ticket_numbers_short_numbers_and_dates_are_not_phones(kept: str) -> None:
    masker = Masker(names=("张三",), surname="张", phone="13812345678")
    assert masker.text(kept) == kept
