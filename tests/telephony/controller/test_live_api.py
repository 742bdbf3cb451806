"""The platform as ``hotline serve`` runs it, against the real Asterisk: the live picture
over HTTP and its WebSocket follow a call to 12345 into the queue and to an agent."""

import asyncio
from typing import Any

from fastapi.testclient import TestClient

from hotline import migrate
from hotline.app import create_app
from hotline.cli.users import bootstrap_admin
from telephony.pbx import process
from tests.telephony.conftest import Running

AGENT = "Local/8002@sim-agent/n"


async def _ami(pbx: Running, action: str, **fields: str) -> None:
    session = await process.open_ami(pbx.config)
    try:
        await session.action(action, **fields)
    finally:
        await session.close()


def ami(pbx: Running, action: str, **fields: str) -> None:
    """One AMI action from outside the platform (a softphone's or the carrier's doing)."""
    asyncio.run(_ami(pbx, action, **fields))


def receive_until(ws: Any, wanted: dict[str, str], limit: int = 200) -> dict[str, Any]:
    for _ in range(limit):
        message: dict[str, Any] = ws.receive_json()
        if all(message.get(k) == v for k, v in wanted.items()):
            return message
    raise AssertionError(f"no {wanted} in {limit} messages")


def test_live_picture_and_websocket_follow_a_real_call(pbx: Running) -> None:
    settings = pbx.settings
    migrate.upgrade(settings.effective_database_url)
    password = asyncio.run(bootstrap_admin(settings))
    with TestClient(create_app(settings)) as client:
        login = {"username": "admin", "password": password or ""}
        token = client.post("/auth/login", json=login).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with client.websocket_connect(f"/telephony/events?token={token}") as ws:
            assert ws.receive_json()["kind"] == "snapshot"
            ami(pbx, "QueueAdd", Queue="main", Interface=AGENT, MemberName="8002")
            try:
                receive_until(ws, {"kind": "agent", "key": AGENT, "state": "available"})
                ami(pbx, "Originate", Channel="Local/12345@sim-dial", Context="sim-caller",
                    Exten="s", Priority="1", Async="true", CallerID="13800138009",
                    Variable="SIM_FROM=13800138009,SIM_STEPS=,SIM_HOLD=30")
                connected = receive_until(ws, {"kind": "call", "state": "connected"})
                live = client.get("/telephony/live", headers=headers).json()
                [call] = [c for c in live["calls"] if c["linkedid"] == connected["key"]]
                assert (call["queue"], call["agent"], call["caller"]) == (
                    "main", AGENT, "13800138009")
                assert client.get("/telephony/live").status_code == 401
            finally:
                ami(pbx, "QueueRemove", Queue="main", Interface=AGENT)


def test_an_agent_logs_in_pauses_with_a_reason_and_logs_out_through_the_api(
    pbx: Running,
) -> None:
    settings = pbx.settings
    migrate.upgrade(settings.effective_database_url)
    asyncio.run(bootstrap_admin(settings))  # no-op when the first test made the admin
    password = (settings.data_dir / "initial-admin-password").read_text().strip()
    agent = "PJSIP/8002"  # a seat of this PBX (it has a trunk: no simulated answerers)
    with TestClient(create_app(settings)) as client:
        token = client.post("/auth/login", json={"username": "admin", "password": password}
                            ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with client.websocket_connect(f"/telephony/events?token={token}") as ws:
            ws.receive_json()
            steps = [("login", {"interface": agent}, "available"),
                     ("pause", {"interface": agent, "reason": "培训"}, "paused"),
                     ("unpause", {"interface": agent}, "available"),
                     ("logout", {"interface": agent}, "logged_out")]
            for action, body, state in steps:
                response = client.post(f"/telephony/agents/{action}", json=body,
                                       headers=headers)
                assert response.status_code == 200, response.text
                change = receive_until(ws, {"kind": "agent", "key": agent, "state": state})
                if state == "paused":
                    assert change["data"]["pause_reason"] == "培训"
        refused = client.post("/telephony/agents/logout", json={"interface": agent},
                              headers=headers)
        assert refused.status_code == 409
        assert refused.json()["error_id"] == "agent-action-refused"
        bad = client.post("/telephony/agents/login", json={"interface": "SIP/evil;x"},
                          headers=headers)
        assert bad.status_code == 422
