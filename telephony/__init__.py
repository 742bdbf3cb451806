"""Telephony: the AMI link, call and agent state, routing, queues (issue 3)."""
