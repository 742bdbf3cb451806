"""The screens' feed on an app of its own, for tests that serve only the live picture."""

from datetime import timedelta
from urllib.parse import quote

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hotline.bus import EventBus
from hotline.errors import install_error_handlers
from hotline.feed import FeedMemory
from hotline.feed import router as feed_router
from kernel.clock import now
from telephony.deps import TelephonyRuntime
from tickets.accounts.models import User
from tickets.accounts.passwords import hash_password
from tickets.accounts.tokens import TokenSigner
from tickets.enums import Role
from tickets.policy.registry import get_policy
from tickets.principal import Principal
from tickets.runtime import Runtime


async def feed_app(telephony: TelephonyRuntime, bus: EventBus,
                   sessions: async_sessionmaker[AsyncSession]) -> tuple[FastAPI, str]:
    """An app serving ``/telephony/events`` from ``bus``, and a supervisor's token for it."""
    runtime = Runtime(sessionmaker=sessions, policy=get_policy("default"),
                      tokens=TokenSigner(b"feed-test-secret", timedelta(hours=1)))
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(feed_router)
    app.state.runtime, app.state.telephony = runtime, telephony
    app.state.bus, app.state.feed_memory = bus, FeedMemory()
    async with sessions() as session:
        user = User(username="supervisor", role=Role.SUPERVISOR.value,
                    password_hash=hash_password("not-used-here"), created_at=now())
        session.add(user)
        await session.commit()
    token, _ = runtime.tokens.issue(Principal(user.id, "supervisor", Role.SUPERVISOR), now())
    return app, quote(token, safe="")  # as a browser puts it in the URL (encodeURIComponent)
