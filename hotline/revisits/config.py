"""The revisits' settings in the domain's terms: calling windows, attempts and their spacing."""

from datetime import timedelta

from hotline.settings import Settings
from tickets.revisits.schedule import RevisitRules
from tickets.revisits.windows import CallingWindows


def revisit_rules(settings: Settings) -> RevisitRules:
    """The settings' calling windows, attempts and spacing."""
    return RevisitRules(CallingWindows.parse(settings.revisit_windows),
                        attempts=settings.revisit_attempts,
                        retry=timedelta(minutes=settings.revisit_retry_minutes))
