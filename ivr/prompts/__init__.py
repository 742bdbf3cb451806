"""Mandarin prompts: the text catalogue, the espeak-ng build, the player the routes use."""
