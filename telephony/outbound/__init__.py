"""Outbound calls: the dialer (cap, Originate, hang-ups, restarts) and the campaigns it serves."""
