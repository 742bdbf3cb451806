"""Placing revisit and callback calls (the dialer) and the survey port the IVR calls."""
