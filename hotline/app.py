"""The FastAPI application: routers of every domain, error mapping, lifespan."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker

from hotline.bus import EventBus
from hotline.db import make_engine
from hotline.errors import install_error_handlers
from hotline.feed import FeedMemory
from hotline.health import StorageWatch, database_health
from hotline.limits import BodySizeLimit, RefuseNul
from hotline.linkage import Calendar, ticket_desk
from hotline.operators import RegisteredUnitNumbers
from hotline.revisits.config import revisit_rules
from hotline.routes import include_routes
from hotline.running import services_running
from hotline.settings import Settings, load_settings
from hotline.storage import ShortStartFailure, StartRefused, start_refusal
from hotline.transcription import CallTranscripts
from linkage.deps import LinkageRuntime
from telephony.deps import TelephonyRuntime
from telephony.pbx.process import Instance
from telephony.recordings.service import recordings_dir
from tickets.accounts.tokens import TokenSigner
from tickets.calendar.service import load_calendar, warn_if_next_year_missing
from tickets.drafting.live import LiveDrafting
from tickets.policy.registry import get_policy
from tickets.runtime import Runtime

log = logging.getLogger(__name__)


def wire_state(app: FastAPI, settings: Settings, runtime: Runtime) -> None:
    """What the routers and the feed find on ``app.state``, whatever runs beside them."""
    app.state.runtime = runtime
    runtime.revisits = revisit_rules(settings)
    runtime.transcripts = runtime.transcripts or CallTranscripts(
        runtime.sessionmaker, lambda: getattr(app.state, "telephony", None))
    app.state.bus = getattr(app.state, "bus", None) or EventBus()
    if getattr(app.state, "feed_memory", None) is None:
        # what was said or keyed of a call before a seat took it, replayed to that seat
        app.state.feed_memory = FeedMemory()
        app.state.bus.tap(app.state.feed_memory.record)
    app.state.telephony = TelephonyRuntime(
        sessionmaker=runtime.sessionmaker, clock=runtime.clock, seats=settings.seat_rules(),
        units=RegisteredUnitNumbers(runtime.sessionmaker))
    app.state.linkage_runtime = LinkageRuntime(
        runtime.sessionmaker, runtime.clock,
        ticket_desk(settings, runtime.sessionmaker, Calendar()))


async def refresh_shared_data(runtime: Runtime, drafting: LiveDrafting,
                              every_seconds: float) -> None:
    """Reload the calendar and the places now and then: another node's import reaches us."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            async with runtime.sessionmaker() as session:
                runtime.calendar = await load_calendar(session)
            await drafting.refresh()
        except Exception:  # the database may be down for a while; keep what is loaded
            log.exception("refreshing the calendar and places failed; keeping the loaded ones")


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The platform's API; given a ``runtime`` (tests), it uses it instead of building one."""
    settings = settings or load_settings()
    policy = get_policy(settings.policy)  # an unknown profile stops start-up here, clearly

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime is not None:
            yield
            return
        engine = make_engine(settings.effective_database_url)
        sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        try:
            async with sessionmaker() as session:
                calendar = await load_calendar(session)
        except Exception as exc:  # a storage problem is told in one line (ShortStartFailure)
            refusal = start_refusal(exc, settings.effective_database_url)
            await engine.dispose()
            if refusal is None:
                raise
            raise StartRefused(refusal) from None
        built = Runtime(
            sessionmaker=sessionmaker, policy=policy, calendar=calendar,
            tokens=TokenSigner(settings.ensure_secret(),
                               timedelta(hours=settings.token_ttl_hours)),
        )
        log.info("API up: policy %s, database %s", policy.name, engine.url.render_as_string())
        warn_if_next_year_missing(calendar, built.clock())  # in December, at start too
        drafting = built.drafting = LiveDrafting(sessionmaker, built.clock)
        wire_state(app, settings, built)
        await drafting.refresh()
        refresher = asyncio.create_task(refresh_shared_data(
            built, drafting, settings.calendar_refresh_seconds))
        async with services_running(app, settings, sessionmaker, built, drafting,
                                    app.state.bus):
            # What start-up loaded (the drafting's dictionaries, the gazetteer, the models)
            # lives as long as the process: out of the collector's full passes, which would
            # otherwise walk it all and stall the loop for 150-400 ms under a flood of
            # requests (bench/login_flood.py).
            gc.freeze()
            yield
        refresher.cancel()
        await engine.dispose()

    app = FastAPI(
        title="12345 hotline platform", version="0.1.0", lifespan=lifespan,
        description="Tickets, deadlines and supervision for a 12345 government service hotline.",
        docs_url=None, redoc_url=None,  # FastAPI's pages load from a CDN: api_docs serves /docs
    )
    if runtime is not None:
        wire_state(app, settings, runtime)
    install_error_handlers(app)
    app.state.storage = StorageWatch()  # the error mapping tells /health of refused writes
    app.add_middleware(RefuseNul)  # inside the size limit: it reads JSON bodies whole
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ShortStartFailure)
    app.state.recordings_root = recordings_dir(Instance(  # MixMonitor's spool on the host
        settings.asterisk_root, settings.effective_asterisk_instance_dir))
    include_routes(app)

    @app.get("/health", tags=["health"], responses={503: {"description": "degraded"}})
    async def health() -> JSONResponse:
        """The process answers and its database answers and can be written (else 503)."""
        database = await database_health(app.state.runtime.sessionmaker, app.state.storage)
        ok = database["state"] == "ok"
        return JSONResponse({"status": "ok" if ok else "degraded", "policy": policy.name,
                             "database": database}, status_code=200 if ok else 503)

    return app
