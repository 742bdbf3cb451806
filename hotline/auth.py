"""Who asks: the bearer token is checked once per request, here, by the composition root.

Each domain then reads the user in its own terms: the ticket domain its
:class:`~tickets.principal.Principal` (and the token's claims, for log-out), telephony its
:class:`~telephony.seats.service.Operator`, every router the acting user's name. Which role
may do what stays with each domain (``tickets.deps.require_role`` and the root's guards).
"""

from starlette.requests import HTTPConnection

from telephony.seats.service import Operator
from tickets.accounts.tokens import TokenClaims
from tickets.enums import Role
from tickets.errors import Unauthenticated
from tickets.principal import Principal
from tickets.runtime import Runtime

SUPERVISING = frozenset({Role.SUPERVISOR, Role.ADMIN})


def bearer_token(request: HTTPConnection) -> str:
    """The token of ``Authorization: Bearer …`` (a browser's WebSocket: ``?token=``)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" and request.scope["type"] == "websocket":
        scheme, token = "bearer", request.query_params.get("token", "")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("log in first: send 'Authorization: Bearer <token>'")
    return token.strip()


async def verified(request: HTTPConnection) -> TokenClaims:
    """The token's claims if it is valid and still counts (its user active, not revoked)."""
    runtime: Runtime = request.app.state.runtime
    now = runtime.clock()
    claims = runtime.tokens.read(bearer_token(request), now)
    await runtime.active_users.require_valid(runtime.sessionmaker, claims, now)
    return claims


async def authenticated(request: HTTPConnection) -> Principal:
    """The dependency guarding every route but log-in: records who asks on the request."""
    claims = await verified(request)
    user = claims.principal
    request.state.token = claims
    request.state.principal = user
    request.state.actor = user.username
    request.state.operator = Operator(user.username, supervises=user.role in SUPERVISING)
    return user
