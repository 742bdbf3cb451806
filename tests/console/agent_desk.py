"""The agent's desk in the tests' words: units with numbers, the line's and the IVR's events,
the requests the desk sends, its screenshots."""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, Request

from telephony.ami.events import (
    AgentConnect,
    Newchannel,
    QueueCallerJoin,
    QueueMemberAdded,
    VarSet,
)
from tests.console.desks import shot
from tests.console.served import Platform, channel, member

BEIJING = ZoneInfo("Asia/Shanghai")


def add_units(platform: Platform) -> dict[str, int]:
    """Three units with registered numbers (the lights' territory is 和平路)."""
    units = {}
    for code, name, duties, territory, phones in (
        ("lights", "市城市管理局", "路灯 市政设施 道路", ["和平路"],
         {"contact_phone": "0435-3333333"}),
        ("power", "市供电公司", "供电 电力", [], {"duty_phone": "95598"}),
        ("water", "市水务集团", "供水 停水 自来水", ["东昌区"],
         {"contact_phone": "0435-6666666"}),
    ):
        made = platform.api("POST", "/units", json={"code": code, "name": name, "duties": duties,
                                                     "territory": territory, **phones})
        assert made.status_code == 201, made.text
        units[code] = made.json()["id"]
    return units


def joins(platform: Platform, seat: str, queue: str) -> None:
    """The line tells that ``seat`` is in ``queue`` (its softphone, a supervisor, 签入)."""
    event = member(QueueMemberAdded, seat)
    platform.events(QueueMemberAdded(**{**_fields(event), "queue": queue}))


def _fields(event: Any) -> dict[str, Any]:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}


def ivr_emergency_answered(platform: Platform, linkedid: str, caller: str, seat: str,
                           kind: str) -> None:
    """The caller keys an emergency in the IVR (HOTLINE_EMERGENCY), queues, ``seat`` answers."""
    ours = channel("PJSIP/carrier-0001", linkedid, linkedid, caller)
    theirs = channel(f"{seat}-0002", f"{linkedid}1", linkedid, seat.split("/")[-1])
    platform.seat_logs_in(seat)
    platform.events(Newchannel(ours))
    keyed(platform, linkedid, caller, kind)
    platform.events(QueueCallerJoin(ours, "main", 1, 1), Newchannel(theirs),
                    AgentConnect(ours, theirs, "main", seat, seat, 3, 2))


def keyed(platform: Platform, linkedid: str, caller: str, kind: str) -> None:
    """The IVR's VarSet of the caller's emergency key, into the platform's linkage."""
    ours = channel("PJSIP/carrier-0001", linkedid, linkedid, caller)
    platform.run(platform.app.state.linkage.on_ami(VarSet(ours, "HOTLINE_EMERGENCY", kind)))


def picture(page: Page, name: str) -> None:
    """The screenshot, with no focus ring where the last click left it (the same each run)."""
    page.evaluate("document.activeElement?.blur()")
    shot(page, name)


def posts(page: Page, part: str) -> list[Request]:
    """Every POST the page sends whose path contains ``part`` (collected from now on)."""
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" and part in r.url
            else None)
    return sent


def controls(page: Page) -> Locator:
    return page.locator("#call-controls")


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def beijing(iso: str) -> str:
    """A time as the screens write it: Beijing, to the minute."""
    return datetime.fromisoformat(iso).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def registered(page: Page, platform: Platform) -> dict[str, Any]:
    text = page.locator("#ticket-result").text_content() or ""
    found = re.search(r"已登记工单 (\d+)", text)
    assert found, text
    got = platform.api("GET", f"/tickets/{found.group(1)}")
    assert got.status_code == 200, got.text
    ticket: dict[str, Any] = got.json()
    return ticket
