"""No error answer and no log line carries SQL, bound values or the requester's data.

Provoked for real: a ticket number taken by another row (IntegrityError, on PostgreSQL its
text names the row), and a write on a database that refuses it (OperationalError).
"""

import logging

import pytest

from tests.conftest import Api
from tests.tickets.workflow.test_lifecycle_api import COMPLAINT, create
from tickets.workflow.models import Ticket
from tickets.workflow.numbers import ticket_number

SECRETS = ("13812345678", "张三", "新华街1号", "INSERT", "UPDATE", "[SQL", "parameters",
           "uq_tickets_number", "UNIQUE", "duplicate key")


async def test_a_conflict_in_the_database_shows_neither_sql_nor_values(
    api: Api, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    first = await create(api)
    taken = ticket_number(first["id"] + 1, api.clock())  # the number the next ticket gets
    async with api.runtime.sessionmaker() as session:
        session.add(Ticket(id=-1, number=taken, profile="tonghua", state="closed",
                           is_open=False, channel="phone", media="voice", request_type="咨询",
                           urgency="一般", created_at=api.clock(),
                           requester_phone="13812345678"))
        await session.commit()
    response = await api.call("POST", "/tickets", "agent", json=COMPLAINT)
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["error_id"] == "conflict" and body["details"] == {}
    for secret in SECRETS:
        assert secret not in response.text
        assert secret not in caplog.text, (secret, caplog.text)
