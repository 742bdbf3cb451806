"""Handling units, platform users, roles and token login."""
