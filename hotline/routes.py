"""Every router of every domain on the app, each behind the guard of the roles it admits.

The root authenticates every route but log-in (``hotline/auth.py``); each domain's routers
are then included with the roles that may use them, and a domain decides the finer rules
itself (a unit sees its own tickets, an agent steers its own seat).
"""

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.params import Depends as DependsParam

from console.router import router as console_router
from hotline.api_docs import install_api_docs
from hotline.auth import authenticated
from hotline.feed import router as feed_router
from linkage.router import admin_router as linkage_admin_router
from linkage.router import agents_router as linkage_agents_router
from linkage.router import readers_router as linkage_readers_router
from linkage.router import supervisors_router as linkage_supervisors_router
from telephony.agents.router import router as agents_router
from telephony.callbacks.router import router as callbacks_router
from telephony.calls.router import router as calls_router
from telephony.conference.router import monitor_router
from telephony.conference.router import router as conference_router
from telephony.controller.router import router as controller_router
from telephony.recordings.router import router as recordings_router
from telephony.routing.router import router as routing_router
from telephony.seats.router import admin_router as seats_admin_router
from telephony.seats.router import router as seats_router
from telephony.targets.router import router as dial_targets_router
from tickets.accounts.router import login_router
from tickets.accounts.router import router as accounts_router
from tickets.calendar.router import router as calendar_router
from tickets.deps import require_role
from tickets.drafting.router import router as drafting_router
from tickets.enums import Role
from tickets.knowledge.router import router as knowledge_router
from tickets.policy.router import router as policy_router
from tickets.revisits.router import router as revisits_router
from tickets.stats.router import router as stats_router
from tickets.supervision.router import router as supervision_router
from tickets.workflow.router import router as tickets_router

A, R, S = Role.AGENT, Role.REVIEWER, Role.SUPERVISOR


def guarded(*roles: Role) -> list[DependsParam]:
    """Authentication first, then (if named) the roles admitted; administrators always."""
    guard = [Depends(authenticated)]
    return [*guard, Depends(require_role(*roles))] if roles else guard


# router -> the roles it admits (none named: any authenticated user; the routes decide)
GUARDS: tuple[tuple[Any, tuple[Role, ...]], ...] = (
    (accounts_router, ()), (tickets_router, ()), (policy_router, ()), (calendar_router, ()),
    (knowledge_router, ()), (supervision_router, ()), (stats_router, ()),
    (revisits_router, ()), (drafting_router, (A, R, S)),
    (routing_router, (S,)), (calls_router, (S,)), (callbacks_router, (S,)),
    (recordings_router, (S,)), (seats_admin_router, (Role.ADMIN,)),
    (dial_targets_router, (Role.ADMIN,)), (seats_router, ()),
    (controller_router, (A, R, S)), (agents_router, (A, R, S)), (conference_router, (A, S)),
    (monitor_router, (S,)),
    (linkage_admin_router, (Role.ADMIN,)), (linkage_readers_router, (A, S, R)),
    (linkage_agents_router, (A, S)), (linkage_supervisors_router, (S, R)),
)


def include_routes(app: FastAPI) -> None:
    """Every domain's routers, the feed, the console and the API's documentation."""
    app.include_router(login_router)  # the one route no token guards
    for router, roles in GUARDS:
        app.include_router(router, dependencies=guarded(*roles))
    app.include_router(feed_router)  # the WebSocket authenticates its handshake itself
    app.include_router(console_router)  # the screens: static files; the API guards data
    install_api_docs(app)  # /docs from the installed Swagger UI, and /favicon.ico
