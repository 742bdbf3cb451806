"""Following a ticket by its number: the check digit first, then the lookup, then its state.

The caller hears the number, the state and the due date: nothing about any person. Then 0
puts them through to an agent; otherwise the IVR says goodbye and ends the call (the menu
hangs up), so a caller served here never waits in a queue they did not ask for.
"""

import contextlib
import logging
from collections.abc import AsyncIterator

from ivr.agi.channel import AgiChannel
from ivr.config import IvrConfig
from ivr.ports import TicketLookup, TicketStatus
from ivr.prompts.player import Item, Prompts
from kernel.numbers import TICKET_NUMBER_MAX_DIGITS as MAX_DIGITS
from kernel.numbers import is_ticket_number

log = logging.getLogger(__name__)

def well_formed(keys: str) -> str | None:
    """``keys`` if they can be a ticket number (length, digits, check digit), else None."""
    return keys if is_ticket_number(keys) else None


class FollowTicket:
    """Asks for a ticket number (re-prompting on a bad one) and says where the ticket stands."""

    def __init__(self, prompts: Prompts, tickets: TicketLookup, config: IvrConfig) -> None:
        self.prompts = prompts
        self.tickets = tickets
        self.config = config

    async def run(self, channel: AgiChannel) -> str | None:
        """The number of the ticket the caller heard about; None: over to an agent."""
        prompt: list[Item] = ["follow-enter"]
        for _ in range(self.config.tries):
            keys = await self.prompts.ask(channel, prompt, self.config.digit_timeout, MAX_DIGITS)
            number = well_formed(keys)
            if number is None:
                log.info("AGI %s: ticket number %s", channel.request.who,
                         "not entered" if not keys else f"rejected ({len(keys)} keys)")
                prompt = ["follow-bad-number"] if keys else ["menu-no-input", "follow-enter"]
                continue
            try:
                status = await self.tickets.status(number)
            except Exception:  # the lookup's failure must not cost the caller the call
                log.exception("AGI %s: looking up ticket %s failed", channel.request.who, number)
                await self.prompts.play(channel, ["follow-unavailable"])
                return None
            if status is None:
                log.info("AGI %s: no ticket %s for the caller", channel.request.who, number)
                prompt = ["follow-not-found"]
                continue
            async with self._label(status.state_label) as state:
                await self.prompts.play(channel, self.status_items(status, state))
            return number
        await self.prompts.play(channel, ["to-agent"])
        return None

    async def wants_agent(self, channel: AgiChannel) -> bool:
        """After the state: 0 (during the prompt or within the key timeout) asks for an agent."""
        key = await self.prompts.ask(channel, ["follow-done"], self.config.key_timeout)
        return key == "0"

    @contextlib.asynccontextmanager
    async def _label(self, label: str) -> AsyncIterator[Item | None]:
        """The state label's own prompt, else the label spoken now, else nothing."""
        name = self.prompts.name_of(label)
        if name is not None:
            yield name
            return
        async with self.prompts.spoken(label) as clip:
            if clip is None:
                log.warning("no prompt says the state %r and no speech here: not said", label)
            yield clip

    def status_items(self, status: TicketStatus, state: Item | None) -> list[Item]:
        """工单 <digits>，当前状态：<state>，办理期限：<date>[，已超过办理期限]."""
        items: list[Item] = ["follow-ticket", *self.prompts.digits(status.number)]
        if state is not None:
            items += ["follow-state", state]
        items += (["follow-due", *self.prompts.date(status.due)] if status.due
                  else ["follow-no-due"])
        if status.overdue:
            items.append("follow-overdue")
        return items
