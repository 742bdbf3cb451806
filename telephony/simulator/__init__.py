"""The call simulator: calls and agents on Local channels of the real Asterisk (issue 3)."""
