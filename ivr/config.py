"""How the menus behave: the settings' part the routes read, frozen."""

from dataclasses import dataclass
from enum import StrEnum


class MenuMode(StrEnum):
    """What a caller hears first (GB/T 33358 finds voice menus 不宜 for phone intake)."""

    MENU = "menu"  # the short menu: describe, follow, enterprise, emergency, agent
    GREETING = "greeting"  # a greeting, then an agent; 2 (follow) and 9 (emergency) kept
    DIRECT = "direct"  # straight to an agent, nothing played


@dataclass(frozen=True)
class IvrConfig:
    """Timings and limits of the menu and the survey."""

    mode: MenuMode = MenuMode.MENU
    describe_seconds: float = 20.0  # silence left to the caller describing the request
    key_timeout: float = 6.0  # seconds for a menu key after its prompt
    greeting_seconds: float = 2.0  # after the greeting, for a 2 or a 9, before the agent
    digit_timeout: float = 8.0  # seconds for each key of a ticket number
    tries: int = 3  # a prompt and two re-prompts, then an agent (or the survey gives up)
    redos: int = 3  # times a citizen may start the survey's answers again

    def __post_init__(self) -> None:
        if (self.describe_seconds < 0 or self.key_timeout <= 0 or self.digit_timeout <= 0
                or self.greeting_seconds <= 0):
            raise ValueError("IVR timings must be positive")
        if self.tries < 1 or self.redos < 0:
            raise ValueError("the IVR needs at least one try")
