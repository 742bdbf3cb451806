"""The agent state machine: pauses with reasons, after-call work with a timer."""

from datetime import datetime, timedelta

import pytest

from telephony.agents.machine import Agent, AgentEvent, AgentState, IllegalAgentTransition

T0 = datetime.fromisoformat("2026-03-02T10:00:00+08:00")


def test_a_handled_call_ends_in_after_call_work_until_its_timer_runs_out() -> None:
    agent = Agent("PJSIP/8001", "王芳")
    agent.apply(AgentEvent.LOGIN, T0)
    agent.apply(AgentEvent.RING, T0)
    agent.apply(AgentEvent.ANSWER, T0 + timedelta(seconds=3))
    agent.apply(AgentEvent.HANG_UP, T0 + timedelta(seconds=183), wrap_up=timedelta(seconds=30))
    assert agent.state is AgentState.AFTER_CALL_WORK
    assert agent.talk_seconds == 180.0 and agent.calls_handled == 1
    assert not agent.wrap_up_due(T0 + timedelta(seconds=200))
    assert agent.wrap_up_due(T0 + timedelta(seconds=213))


def test_a_pause_keeps_its_reason_and_unpausing_clears_it() -> None:
    agent = Agent("PJSIP/8002", "李强")
    agent.apply(AgentEvent.LOGIN, T0)
    agent.apply(AgentEvent.PAUSE, T0, reason="培训")
    assert (agent.state, agent.pause_reason) == (AgentState.PAUSED, "培训")
    agent.apply(AgentEvent.UNPAUSE, T0)
    assert agent.pause_reason == ""


def test_an_agent_on_a_call_cannot_log_out() -> None:
    agent = Agent("PJSIP/8003", "赵敏")
    agent.apply(AgentEvent.LOGIN, T0)
    agent.apply(AgentEvent.ANSWER, T0)
    with pytest.raises(IllegalAgentTransition):
        agent.apply(AgentEvent.LOGOUT, T0)
    assert agent.state is AgentState.ON_CALL
