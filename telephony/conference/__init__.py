"""Three-party calls, transfers and supervisor monitoring on live calls."""
