"""Legacy numbers and the block list through the API, mirrored into a recording AstDB."""

from dataclasses import dataclass, field

import pytest

from tests.conftest import Api


@dataclass
class RecordingAstDb:
    """Holds what the dialplan would read; can be made to fail like a lost AMI link."""

    families: dict[str, dict[str, str]] = field(default_factory=dict)
    down: bool = False

    async def put(self, family: str, key: str, value: str) -> None:
        self._check()
        self.families.setdefault(family, {})[key] = value

    async def delete(self, family: str, key: str) -> None:
        self._check()
        self.families.get(family, {}).pop(key, None)

    async def delete_tree(self, family: str) -> None:
        self._check()
        self.families.pop(family, None)

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("AMI link down")


@pytest.fixture
def astdb(api: Api) -> RecordingAstDb:
    recorder = RecordingAstDb()
    api.app.state.telephony.astdb = recorder
    return recorder


FORWARD = {"number": "12315", "name": "消费者投诉热线", "department": "市场监管局",
           "mode": "forward", "source_line": "12315", "queue": "market"}


async def test_a_new_legacy_number_reaches_astdb_at_once(api: Api, astdb: RecordingAstDb
                                                         ) -> None:
    response = await api.call("POST", "/telephony/legacy-numbers", "supervisor", json=FORWARD)
    assert response.status_code == 201, response.text
    assert astdb.families["legacy"] == {"12315": "forward,12315,market"}


async def test_changing_the_mode_rewrites_astdb(api: Api, astdb: RecordingAstDb) -> None:
    created = (await api.call("POST", "/telephony/legacy-numbers", "supervisor",
                              json=FORWARD)).json()
    changed = await api.call("PUT", f"/telephony/legacy-numbers/{created['id']}", "supervisor",
                             json={**FORWARD, "mode": "parallel", "queue": "market-own"})
    assert changed.json()["mode"] == "parallel"
    assert astdb.families["legacy"]["12315"] == "parallel,12315,market-own"
    await api.call("DELETE", f"/telephony/legacy-numbers/{created['id']}", "supervisor")
    assert astdb.families["legacy"] == {}


async def test_a_duplicate_legacy_number_is_a_conflict(api: Api, astdb: RecordingAstDb) -> None:
    await api.call("POST", "/telephony/legacy-numbers", "supervisor", json=FORWARD)
    again = await api.call("POST", "/telephony/legacy-numbers", "supervisor", json=FORWARD)
    assert again.status_code == 409
    assert again.json()["error_id"] == "legacy-number-exists"


async def test_block_for_thirty_days_expires_by_itself(api: Api, astdb: RecordingAstDb) -> None:
    response = await api.call("POST", "/telephony/block-list", "supervisor",
                              json={"number": "13900001111", "reason": "辱骂坐席"})
    assert response.status_code == 201, response.text
    entry = response.json()
    assert entry["expires_at"] == "2026-04-01T10:00:00+08:00"  # 30 natural days
    assert entry["created_by"] == "supervisor"
    assert astdb.families["block"]["13900001111"] == str(1775008800)
    api.clock.set("2026-04-01T10:00:01+08:00")
    listed = (await api.call("GET", "/telephony/block-list", "supervisor")).json()
    assert listed == []


async def test_blocking_longer_than_thirty_days_is_refused(api: Api, astdb: RecordingAstDb
                                                           ) -> None:
    response = await api.call("POST", "/telephony/block-list", "supervisor",
                              json={"number": "13900001111", "reason": "骚扰", "days": 90})
    assert response.status_code == 422


async def test_lifting_a_block_removes_it_from_astdb(api: Api, astdb: RecordingAstDb) -> None:
    entry = (await api.call("POST", "/telephony/block-list", "supervisor",
                            json={"number": "13900001111", "reason": "骚扰"})).json()
    twice = await api.call("POST", "/telephony/block-list", "supervisor",
                           json={"number": "13900001111", "reason": "骚扰"})
    assert twice.json()["error_id"] == "already-blocked"
    lifted = await api.call("POST", f"/telephony/block-list/{entry['id']}/lift", "supervisor")
    assert lifted.json()["lifted_at"] is not None
    assert astdb.families["block"] == {}


async def test_astdb_down_keeps_the_database_right_and_resync_repairs_it(
    api: Api, astdb: RecordingAstDb
) -> None:
    from telephony.routing.service import resync

    astdb.down = True
    response = await api.call("POST", "/telephony/legacy-numbers", "supervisor", json=FORWARD)
    assert response.status_code == 201
    astdb.down = False
    async with api.runtime.sessionmaker() as session:
        counts = await resync(session, astdb, api.clock())
    assert counts == (1, 0)
    assert astdb.families["legacy"] == {"12315": "forward,12315,market"}


async def test_agents_cannot_change_routing(api: Api, astdb: RecordingAstDb) -> None:
    response = await api.call("POST", "/telephony/legacy-numbers", "agent", json=FORWARD)
    assert response.status_code == 403
