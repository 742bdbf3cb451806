"""Look up a profile by name."""

from tickets.errors import UnknownProfile
from tickets.policy.profiles import PROFILES
from tickets.policy.schema import Policy


def policy_names() -> list[str]:
    """Names of every profile, ``default`` first."""
    return sorted(PROFILES, key=lambda name: (name != "default", name))


def get_policy(name: str) -> Policy:
    """The profile called ``name``, or :class:`UnknownProfile`."""
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfile(
            f"unknown policy profile {name!r}", profile=name, known=policy_names()
        ) from None
