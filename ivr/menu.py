"""The main menu (route ``ivr``): describe, follow a ticket, enterprise line, emergency, agent.

Short on purpose (GB/T 33358 discourages deep menus); a line may instead greet the caller and
put them through (keeping 2, follow a ticket, and 9, an emergency), or play nothing at all.
The route returns the call to its dialplan, which queues it, except a caller served here to
the end (a ticket followed, no agent asked for): the menu says goodbye and hangs up.
HOTLINE_IVR_RESULT, set first, says how the menu ended (the call's record keeps it: such a
call is neither offered nor abandoned).
"""

import logging
from enum import StrEnum

from ivr.agi.channel import AgiChannel
from ivr.config import IvrConfig, MenuMode
from ivr.errors import CallerHungUp, IvrError
from ivr.follow import FollowTicket
from ivr.outcome import IvrResult, RouteOutcome
from ivr.ports import TicketLookup
from ivr.prompts.player import Item, Prompts

log = logging.getLogger(__name__)

STAGE, RESULT = "HOTLINE_STAGE", "HOTLINE_IVR_RESULT"
DESCRIBE, QUEUE = "HOTLINE_DESCRIBE", "HOTLINE_QUEUE"
EMERGENCY = "HOTLINE_EMERGENCY"  # the emergency linkage alerts the agent on its VarSet
ENTERPRISE_QUEUE = "enterprise"
# 12345 takes no emergencies, but a caller who has one is put through at once and the agent
# is alerted to hand them over (zhanjiang 14, wuhai 6.4.4).
EMERGENCY_KINDS = {"1": "119", "2": "120", "3": "110", "4": "122", "5": "gas"}


class Choice(StrEnum):
    """The menu's keys."""

    DESCRIBE = "1"
    FOLLOW = "2"
    ENTERPRISE = "3"
    EMERGENCY = "9"
    AGENT = "0"


def choice_of(key: str) -> Choice | None:
    """The choice a key makes; None for a timeout or a key the menu does not offer."""
    try:
        return Choice(key)
    except ValueError:
        return None


class MainMenu:
    """One caller's pass through the menu."""

    def __init__(self, prompts: Prompts, tickets: TicketLookup, config: IvrConfig) -> None:
        self.prompts = prompts
        self.config = config
        self.follow = FollowTicket(prompts, tickets, config)

    async def run(self, channel: AgiChannel) -> RouteOutcome:
        """Run the menu; the call then goes back to the dialplan (and its queue)."""
        request = channel.request
        linkedid = detail = None
        try:
            await channel.set_variable(STAGE, "ivr")
            linkedid = await channel.get_variable("CHANNEL(linkedid)")
            result, detail = await self._menu(channel)
        except CallerHungUp:
            result = IvrResult.HUNGUP
        except IvrError as exc:  # Asterisk misbehaving: the queue takes the call as it is
            log.warning("AGI %s: menu ended early (%s: %s): to an agent", request.who,
                        exc.error_id, exc.message)
            result = IvrResult.AGENT
        except Exception:  # a bug here must not cost the caller the call either
            log.exception("AGI %s: menu failed: to an agent", request.who)
            result = IvrResult.AGENT
        try:  # allowed on a hung-up channel too; only a closed socket refuses it
            await channel.set_variable(RESULT, result.value)
        except IvrError:
            log.info("AGI %s: could not set %s=%s (channel gone)", request.who, RESULT, result)
        if result is IvrResult.FOLLOWED:
            await self._end(channel)
        log.info("AGI %s: menu ended: %s", request.who, result)
        return RouteOutcome("ivr", request.uniqueid, linkedid, result.value, detail)

    @staticmethod
    async def _end(channel: AgiChannel) -> None:
        """The caller was served: hang up (the dialplan hangs up too should this fail)."""
        if channel.hung_up:
            return
        try:
            await channel.hangup()
        except IvrError as exc:
            log.info("AGI %s: hang-up refused (%s): the dialplan ends the call",
                     channel.request.who, exc.error_id)

    async def _menu(self, channel: AgiChannel) -> tuple[IvrResult, str | None]:
        if self.config.mode is MenuMode.DIRECT:
            return IvrResult.AGENT, None
        if self.config.mode is MenuMode.GREETING:
            return await self._greeting(channel)
        prompt: list[Item] = ["welcome", "menu-main"]
        for _ in range(self.config.tries):
            key = await self.prompts.ask(channel, prompt, self.config.key_timeout)
            choice = choice_of(key)
            if choice is not None:
                return await self._chosen(channel, choice)
            log.info("AGI %s: menu got %s", channel.request.who,
                     f"key {key!r}" if key else "no key")
            prompt = ["menu-invalid" if key else "menu-no-input", "menu-main"]
        await self.prompts.play(channel, ["to-agent"])
        return IvrResult.AGENT, None

    async def _greeting(self, channel: AgiChannel) -> tuple[IvrResult, str | None]:
        """The greeting says 2 and 9; any other key, or none, is the agent it promised."""
        key = await self.prompts.ask(channel, ["welcome", "greeting"],
                                     self.config.greeting_seconds)
        choice = choice_of(key)
        if choice is Choice.FOLLOW:
            return await self._follow(channel)
        if choice is Choice.EMERGENCY:
            return await self._emergency(channel)
        if key:
            log.info("AGI %s: greeting got key %r: to an agent", channel.request.who, key)
        return IvrResult.AGENT, None

    async def _chosen(self, channel: AgiChannel, choice: Choice) -> tuple[IvrResult, str | None]:
        if choice is Choice.DESCRIBE:
            # The controller starts transcribing the caller on this variable's VarSet.
            await channel.set_variable(DESCRIBE, "1")
            await self.prompts.play(channel, ["describe", "tone"])
            if self.config.describe_seconds > 0:
                await channel.wait_for_digit(self.config.describe_seconds)
            return IvrResult.DESCRIBE, None
        if choice is Choice.FOLLOW:
            return await self._follow(channel)
        if choice is Choice.EMERGENCY:
            return await self._emergency(channel)
        if choice is Choice.ENTERPRISE:
            await channel.set_variable(QUEUE, ENTERPRISE_QUEUE)
            await self.prompts.play(channel, ["to-enterprise"])
            return IvrResult.ENTERPRISE, None
        await self.prompts.play(channel, ["to-agent"])
        return IvrResult.AGENT, None

    async def _follow(self, channel: AgiChannel) -> tuple[IvrResult, str | None]:
        """A ticket's state; then an agent on 0, else goodbye (the call ends: served)."""
        number = await self.follow.run(channel)
        if number is None:
            return IvrResult.AGENT, None
        try:
            if await self.follow.wants_agent(channel):
                await self.prompts.play(channel, ["to-agent"])
                return IvrResult.AGENT, number
            await self.prompts.play(channel, ["follow-goodbye"])
        except CallerHungUp:  # they heard the state and hung up, as they may: served
            log.info("AGI %s: hung up after hearing ticket %s", channel.request.who, number)
        return IvrResult.FOLLOWED, number

    async def _emergency(self, channel: AgiChannel) -> tuple[IvrResult, str | None]:
        """Which emergency; then straight to an agent, alerted (no key: an agent all the same)."""
        prompt: list[Item] = ["menu-emergency"]
        for _ in range(self.config.tries):
            key = await self.prompts.ask(channel, prompt, self.config.key_timeout)
            kind = EMERGENCY_KINDS.get(key)
            if kind is not None:
                await channel.set_variable(EMERGENCY, kind)
                await self.prompts.play(channel, ["to-emergency"])
                return IvrResult.EMERGENCY, kind
            prompt = ["menu-invalid" if key else "menu-no-input", "menu-emergency"]
        await self.prompts.play(channel, ["to-emergency"])
        return IvrResult.AGENT, None
