"""IVR: FastAGI server, menus, prompts and the revisit survey (issue 5)."""
