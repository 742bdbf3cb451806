"""Policy profiles: every number of a jurisdiction's regulation, held as data."""

from tickets.policy.registry import get_policy, policy_names
from tickets.policy.schema import Period, PeriodUnit, Policy

__all__ = ["Period", "PeriodUnit", "Policy", "get_policy", "policy_names"]
