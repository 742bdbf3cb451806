"""No toll fraud through the API, against the real Asterisk with SIPp as the carrier trunk.

The platform is served as ``hotline serve`` runs it (every service of its lifespan) on an
instance whose trunk is a SIPp UAS that logs every message it receives. An agent and a
supervisor try what the tester did: log a seat in as a Local channel that dials out through
the trunk while a citizen waits in the queue, steer another seat, bring any number into a
call, transfer to it, monitor from it. The trunk receives nothing but the one INVITE the
supervisor's legitimate three-party call to a registered unit places at the end.

In CI (``CI=true``) a missing Asterisk or SIPp fails these tests; elsewhere they skip."""

import asyncio
import re
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from hotline import migrate
from hotline.app import create_app
from hotline.cli.users import bootstrap_admin
from telephony.ami.events import QueueMember
from telephony.ami.link import AmiLink
from telephony.ami.originate import OriginateRequest
from telephony.calls.machine import CallState
from telephony.controller.service import CallController
from tests.required import unavailable
from tests.telephony.conference.test_conference_integration import hang_up_everything
from tests.telephony.conftest import Running, free_port
from tests.waiting import wait_for

EVIL_NUMBER = "00900555123"
EVIL = f"Local/{EVIL_NUMBER}@outbound-revisit/n"
SIM_AGENT = "Local/8001@sim-agent/n"  # the softphone's own *41 (AMI here): not the API's
UNIT = "0435-3333333"
PASSWORD = "a-long-password-1"


@pytest.fixture
def trunk(pbx: Running, tmp_path: Path) -> Iterator[Path]:
    """SIPp answering as the carrier on the trunk's address; the file it logs messages to."""
    if shutil.which("sipp") is None:
        unavailable("SIPp is missing: run scripts/install-system-packages")
    log = tmp_path / "trunk-messages.log"
    peer = pbx.settings.sip_peers[0]
    proc = subprocess.Popen(
        ["sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", str(peer.port),
         "-mp", str(free_port(socket.SOCK_DGRAM)), "-aa", "-nostdin", "-trace_msg",
         "-message_file", str(log)], cwd=tmp_path, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        yield log
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def invites(log: Path) -> list[str]:
    """The request URIs of every INVITE the trunk received."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return re.findall(r"^INVITE (sip:\S+) SIP/2\.0", text, flags=re.MULTILINE)


class Served:
    """The app with its lifespan, an HTTP client on it, and tokens by user."""

    def __init__(self, client: AsyncClient, controller: CallController, link: AmiLink) -> None:
        self.client, self.controller, self.link = client, controller, link
        self.tokens: dict[str, str] = {}

    async def log_in(self, username: str, password: str) -> None:
        out = await self.client.post("/auth/login",
                                     json={"username": username, "password": password})
        assert out.status_code == 200, out.text
        self.tokens[username] = out.json()["access_token"]

    async def post(self, who: str, path: str, body: object = None) -> tuple[int, str]:
        out = await self.client.request("POST" if body is not None or "calls" in path else "PUT",
                                        path, json=body,
                                        headers={"Authorization": f"Bearer {self.tokens[who]}"})
        return out.status_code, out.json().get("error_id", "") if out.content else ""


@pytest.fixture
async def served(pbx: Running) -> AsyncIterator[Served]:
    settings = pbx.settings.model_copy(update={"ivr_direct_to_agent": True,
                                               "audiosocket_port": free_port()})
    await asyncio.to_thread(migrate.upgrade, settings.effective_database_url)
    await bootstrap_admin(settings)
    password = (settings.data_dir / "initial-admin-password").read_text().strip()
    app = create_app(settings)
    async with app.router.lifespan_context(app), AsyncClient(
            transport=ASGITransport(app=app), base_url="http://hotline") as client:
        telephony = app.state.telephony
        await telephony.link.wait_connected(15)
        served = Served(client, telephony.controller, telephony.link)
        await served.log_in("admin", password)
        try:
            yield served
        finally:
            await hang_up_everything(served.link)
            await served.link.send_action({"Action": "QueueRemove", "Queue": "main",
                                           "Interface": SIM_AGENT})


async def _set_up_people(served: Served) -> None:
    admin = {"Authorization": f"Bearer {served.tokens['admin']}"}
    for username, role in (("agent1", "agent"), ("sup1", "supervisor")):
        made = await served.client.post("/users", headers=admin, json={
            "username": username, "password": PASSWORD, "role": role})
        assert made.status_code == 201, made.text
        await served.log_in(username, PASSWORD)
    bound = await served.client.put("/telephony/seats/8001", headers=admin,
                                    json={"username": "agent1"})
    assert bound.status_code == 200, bound.text
    unit = await served.client.post("/units", headers=admin, json={
        "code": "water", "name": "市水务集团", "contact_phone": UNIT})
    assert unit.status_code == 201, unit.text


async def _call(served: Served, key: str, caller: str) -> None:
    await served.link.originate(key, OriginateRequest(
        channel="Local/12345@sim-dial", context="sim-caller", exten="s", caller_id=caller,
        variables={"SIM_FROM": caller, "SIM_HOLD": "60"}))


def _with_state(served: Served, state: CallState) -> list[str]:
    return [c.linkedid for c in served.controller.line.calls.values() if c.state is state]


async def test_no_route_of_the_api_makes_the_trunk_dial_a_number_nobody_registered(
        served: Served, trunk: Path) -> None:
    await _set_up_people(served)
    await served.link.send_action({"Action": "QueueAdd", "Queue": "main",
                                   "Interface": SIM_AGENT, "MemberName": "8001"})
    await _call(served, "tf-1", "13800138001")
    await wait_for(lambda: _with_state(served, CallState.CONNECTED), "first call answered",
                   within=30)
    [answered] = _with_state(served, CallState.CONNECTED)
    await _call(served, "tf-2", "13800138002")  # waits: the only seat is busy
    await wait_for(lambda: _with_state(served, CallState.QUEUED), "second call queued")

    attempts = [
        ("agent1", "/telephony/agents/login", {"interface": EVIL}, 422,
         "interface-not-allowed"),
        ("agent1", "/telephony/agents/login", {"interface": "PJSIP/8002"}, 403,
         "not-your-seat"),
        ("agent1", "/telephony/agents/pause", {"interface": "PJSIP/8002", "reason": "x"}, 403,
         "not-your-seat"),
        ("agent1", f"/telephony/calls/{answered}/conference", {"unit_number": EVIL_NUMBER},
         403, "not-your-call"),  # the simulated answerer is no seat of the API's
        ("sup1", "/telephony/agents/login", {"interface": EVIL}, 422, "interface-not-allowed"),
        ("sup1", f"/telephony/calls/{answered}/conference", {"unit_number": EVIL_NUMBER},
         403, "dial-target-not-allowed"),
        ("sup1", f"/telephony/calls/{answered}/transfer", {"to": EVIL_NUMBER}, 422,
         "unknown-extension"),
        ("sup1", f"/telephony/calls/{answered}/monitor",
         {"mode": "listen", "supervisor_phone": EVIL_NUMBER}, 403, "dial-target-not-allowed"),
    ]
    for who, path, body, status, error_id in attempts:
        assert await served.post(who, path, body) == (status, error_id), (who, path, body)

    status = await served.link.send_action({"Action": "QueueStatus", "Queue": "main"})
    assert [e.interface for e in status.events if isinstance(e, QueueMember)] == [SIM_AGENT]
    assert invites(trunk) == []
    # The one thing that may reach the trunk: a registered unit, on the supervisor's word.
    allowed = await served.post("sup1", f"/telephony/calls/{answered}/conference",
                                {"unit_number": UNIT})
    assert allowed == (200, ""), allowed
    await wait_for(lambda: invites(trunk), "the unit's INVITE reached the trunk", within=20)
    assert [uri.split("@")[0] for uri in invites(trunk)] == ["sip:04353333333"]
