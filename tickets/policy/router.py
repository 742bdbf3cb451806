"""Profiles over HTTP: list, show, and compute a deadline."""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from tickets.deps import CalendarDep, CurrentUser, PolicyDep
from tickets.enums import RequestType, Urgency
from tickets.policy.registry import get_policy, policy_names
from tickets.policy.service import Rule, due_answer, policy_as_data

router = APIRouter(prefix="/policies", tags=["policies"])


@router.get("")
async def list_policies(active: PolicyDep, _user: CurrentUser) -> dict[str, Any]:
    """The profile names, and which one this deployment runs."""
    return {"active": active.name, "profiles": policy_names()}


@router.get("/{name}")
async def show_policy(name: str, _user: CurrentUser) -> dict[str, Any]:
    """Every rule of a profile, with its article."""
    return policy_as_data(get_policy(name))


@router.get("/{name}/due")
async def due(
    name: str, calendar: CalendarDep, _user: CurrentUser,
    at: Annotated[AwareDatetime, Query(description="the event, with its time zone")],
    request_type: Annotated[RequestType, Query(alias="type")] = RequestType.CONSULTATION,
    enterprise: bool = False, urgency: Urgency = Urgency.NORMAL, rule: Rule = Rule.HANDLE,
) -> dict[str, Any]:
    """When a rule of a profile falls due for an event at ``at``."""
    return due_answer(get_policy(name), calendar, at, rule, request_type,
                      enterprise=enterprise, urgency=urgency)
