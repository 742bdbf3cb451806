"""Seats: which user answers on which softphone extension, and what each may steer."""
