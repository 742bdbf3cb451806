"""Calls as the controller sees them: legs grouped by Asterisk's linkedid."""
