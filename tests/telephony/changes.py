"""The controller's typed changes, in the tests' words: (kind, key, state)."""

from telephony.events import CallChanged, TelephonyEvent


def said(change: TelephonyEvent) -> tuple[str, str, str]:
    """``("call", linkedid, state)`` or ``("agent", interface, state)``."""
    if isinstance(change, CallChanged):
        return "call", change.call.linkedid, change.call.state.value
    return "agent", change.agent.interface, change.agent.state.value
