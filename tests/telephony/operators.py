"""A stand-in for the composition root's authentication on a bare app: who asks."""

from collections.abc import Awaitable, Callable

from starlette.requests import HTTPConnection

from telephony.seats.service import Operator

SUPERVISOR = Operator("supervisor", supervises=True)


def acting_as(operator: Operator = SUPERVISOR) -> Callable[[HTTPConnection], Awaitable[None]]:
    """A router dependency that records ``operator`` as the one asking."""

    async def record(request: HTTPConnection) -> None:
        request.state.operator = operator

    return record
