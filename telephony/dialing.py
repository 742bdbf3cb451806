"""How the platform reaches the people it brings into a call: units, agents, supervisors."""

from dataclasses import dataclass

SIMULATED = "Local/{number}@sim-agent/n"  # the dev simulator's answerer (context sim-agent)


@dataclass(frozen=True)
class Dialing:
    """Dial strings, ``{number}`` filled in; the defaults reach the simulator's answerers."""

    unit: str = SIMULATED  # production: PJSIP/{number}@<carrier trunk>
    agent: str = SIMULATED  # production: PJSIP/{number} (the agents' softphones)
    supervisor: str = SIMULATED  # production: PJSIP/{number}
    ring_timeout: float = 45.0

    @classmethod
    def through(cls, trunk: str | None, ring_timeout: float = 45.0) -> "Dialing":
        """Units through the carrier trunk, agents and supervisors on their softphones.

        With no trunk (a development or demo machine) everyone is a simulated answerer.
        """
        if trunk is None:
            return cls(ring_timeout=ring_timeout)
        return cls(unit=f"PJSIP/{{number}}@{trunk}", agent="PJSIP/{number}",
                   supervisor="PJSIP/{number}", ring_timeout=ring_timeout)
