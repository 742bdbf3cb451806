"""How the menus behave: the settings' part the routes read, frozen."""

from dataclasses import dataclass


@dataclass(frozen=True)
class IvrConfig:
    """Timings and limits of the menu and the survey."""

    direct_to_agent: bool = False  # GB/T 33358: a line may skip the menu altogether
    describe_seconds: float = 20.0  # silence left to the caller describing the request
    key_timeout: float = 6.0  # seconds for a menu key after its prompt
    digit_timeout: float = 8.0  # seconds for each key of a ticket number
    tries: int = 3  # a prompt and two re-prompts, then an agent (or the survey gives up)
    redos: int = 3  # times a citizen may start the survey's answers again

    def __post_init__(self) -> None:
        if self.describe_seconds < 0 or self.key_timeout <= 0 or self.digit_timeout <= 0:
            raise ValueError("IVR timings must be positive")
        if self.tries < 1 or self.redos < 0:
            raise ValueError("the IVR needs at least one try")
