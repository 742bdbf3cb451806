"""Imports every table of the ticket domain, so ``Base.metadata`` is complete."""

from tickets.accounts.models import Unit, User
from tickets.audit.models import AuditEntry
from tickets.calendar.models import CalendarOverride, CalendarYear
from tickets.database import Base
from tickets.drafting.models import DraftPlace as DraftPlace  # registers the table
from tickets.knowledge.models import Article, ArticleTerm
from tickets.revisits.models import DoNotCall, Revisit, RevisitAttempt
from tickets.supervision.models import Reminder, Supervision
from tickets.workflow.models import Assignment, Evaluation, Ticket, Transition

__all__ = [
    "Article", "ArticleTerm", "Assignment", "AuditEntry", "Base", "CalendarOverride",
    "CalendarYear", "DoNotCall", "Evaluation", "Reminder", "Revisit", "RevisitAttempt",
    "Supervision", "Ticket", "Transition", "Unit", "User",
]
