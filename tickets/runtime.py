"""What the ticket domain needs from the composition root, in one typed object."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kernel.clock import now
from tickets.accounts.active import ActiveUsers
from tickets.accounts.passwords import PasswordHasher
from tickets.accounts.throttle import AddressThrottle
from tickets.accounts.tokens import TokenSigner
from tickets.calendar.workdays import WorkingCalendar
from tickets.drafting.live import LiveDrafting
from tickets.drafting.ports import TranscriptSource
from tickets.policy.schema import Policy
from tickets.revisits.schedule import DEFAULT_RULES, RevisitRules
from tickets.workflow.batching import CreationBatcher


@dataclass
class Runtime:
    """Built once by ``hotline``; routers reach it through ``tickets.deps``."""

    sessionmaker: async_sessionmaker[AsyncSession]
    policy: Policy
    tokens: TokenSigner
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    clock: Callable[[], datetime] = now
    active_users: ActiveUsers = field(default_factory=ActiveUsers)
    passwords: PasswordHasher = field(default_factory=PasswordHasher)  # scrypt off the loop
    logins: AddressThrottle = field(default_factory=AddressThrottle)  # failures per address
    revisits: RevisitRules = DEFAULT_RULES  # the calling windows, attempts and spacing
    # the live drafting (with the deployment's places) and the recogniser's stored transcripts
    drafting: LiveDrafting | None = None
    transcripts: TranscriptSource | None = None
    creations: CreationBatcher = field(init=False)

    def __post_init__(self) -> None:
        # lambdas: an imported calendar or a test's clock must reach batches made later
        self.creations = CreationBatcher(
            self.sessionmaker, lambda: self.policy, lambda: self.calendar, lambda: self.clock())
