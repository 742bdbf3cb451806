"""The FastAPI application: routers of every domain, error mapping, lifespan."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import async_sessionmaker

from console.router import router as console_router
from hotline.api_docs import install_api_docs
from hotline.db import make_engine
from hotline.draft_router import router as draft_router
from hotline.drafting import TicketDrafting
from hotline.errors import install_error_handlers
from hotline.health import StorageWatch, database_health
from hotline.limits import BodySizeLimit, RefuseNul
from hotline.operators import RegisteredUnitNumbers, record_operator
from hotline.running import services_running
from hotline.settings import Settings, load_settings
from hotline.storage import ShortStartFailure, StartRefused, start_refusal
from linkage.router import router as linkage_router
from telephony.agents.router import router as agents_router
from telephony.callbacks.router import router as callbacks_router
from telephony.calls.router import router as calls_router
from telephony.conference.router import monitor_router
from telephony.conference.router import router as conference_router
from telephony.controller.router import router as controller_router
from telephony.deps import TelephonyRuntime
from telephony.pbx.process import Instance
from telephony.recordings.router import router as recordings_router
from telephony.recordings.service import recordings_dir
from telephony.routing.router import router as routing_router
from telephony.seats.router import admin_router as seats_admin_router
from telephony.seats.router import router as seats_router
from telephony.targets.router import router as dial_targets_router
from tickets.accounts.router import router as accounts_router
from tickets.accounts.tokens import TokenSigner
from tickets.calendar.router import router as calendar_router
from tickets.calendar.service import load_calendar
from tickets.deps import require_role
from tickets.enums import Role
from tickets.knowledge.router import router as knowledge_router
from tickets.policy.registry import get_policy
from tickets.policy.router import router as policy_router
from tickets.revisits.router import router as revisits_router
from tickets.runtime import Runtime
from tickets.stats.router import router as stats_router
from tickets.supervision.router import router as supervision_router
from tickets.workflow.router import router as tickets_router

log = logging.getLogger(__name__)


async def refresh_shared_data(runtime: Runtime, drafting: TicketDrafting,
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
        app.state.runtime = Runtime(
            sessionmaker=sessionmaker, policy=policy, calendar=calendar,
            tokens=TokenSigner(settings.ensure_secret(),
                               timedelta(hours=settings.token_ttl_hours)),
        )
        log.info("API up: policy %s, database %s", policy.name, engine.url.render_as_string())
        drafting = app.state.drafting = TicketDrafting(sessionmaker, app.state.runtime.clock)
        await drafting.refresh()
        refresher = asyncio.create_task(refresh_shared_data(
            app.state.runtime, drafting, settings.calendar_refresh_seconds))
        async with services_running(app, settings, sessionmaker, app.state.runtime, drafting):
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
        app.state.runtime = runtime
        app.state.telephony = TelephonyRuntime(
            sessionmaker=runtime.sessionmaker, clock=runtime.clock, seats=settings.seat_rules(),
            units=RegisteredUnitNumbers(runtime.sessionmaker))
    install_error_handlers(app)
    app.state.storage = StorageWatch()  # the error mapping tells /health of refused writes
    app.add_middleware(RefuseNul)  # inside the size limit: it reads JSON bodies whole
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ShortStartFailure)
    for router in (accounts_router, tickets_router, policy_router, calendar_router,
                   knowledge_router, supervision_router, stats_router):
        app.include_router(router)
    app.state.recordings_root = recordings_dir(Instance(  # MixMonitor's spool on the host
        settings.asterisk_root, settings.effective_asterisk_instance_dir))
    # Telephony's routers: the role first, then who asks (an agent steers only their seat).
    operator = Depends(record_operator)
    for router in (routing_router, calls_router, callbacks_router, recordings_router):
        app.include_router(router, dependencies=[Depends(require_role(Role.SUPERVISOR))])
    for router in (seats_admin_router, dial_targets_router):
        app.include_router(router, dependencies=[Depends(require_role(Role.ADMIN))])
    app.include_router(seats_router, dependencies=[  # "which seat is mine", for the console
        Depends(require_role(*Role)), operator])
    for router in (controller_router, agents_router):  # the agents' own screens use these
        app.include_router(router, dependencies=[
            Depends(require_role(Role.AGENT, Role.REVIEWER, Role.SUPERVISOR)), operator])
    app.include_router(conference_router, dependencies=[  # 三方通话 and transfers
        Depends(require_role(Role.AGENT, Role.SUPERVISOR)), operator])
    app.include_router(monitor_router, dependencies=[
        Depends(require_role(Role.SUPERVISOR)), operator])
    app.include_router(revisits_router)  # reviewers and supervisors (the router's own deps)
    app.include_router(linkage_router, dependencies=[operator])  # per-route roles inside
    app.include_router(draft_router, dependencies=[
        Depends(require_role(Role.AGENT, Role.REVIEWER, Role.SUPERVISOR))])
    app.include_router(console_router)  # the agents' screen: static files; the API guards data
    install_api_docs(app)  # /docs from the installed Swagger UI, and /favicon.ico

    @app.get("/health", tags=["health"], responses={503: {"description": "degraded"}})
    async def health() -> JSONResponse:
        """The process answers and its database answers and can be written (else 503)."""
        database = await database_health(app.state.runtime.sessionmaker, app.state.storage)
        ok = database["state"] == "ok"
        return JSONResponse({"status": "ok" if ok else "degraded", "policy": policy.name,
                             "database": database}, status_code=200 if ok else 503)

    return app
