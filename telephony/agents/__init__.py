"""Agents as the controller sees them: logged in, paused, on a call, after-call work."""
