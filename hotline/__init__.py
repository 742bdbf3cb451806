"""Composition root: settings, CLI, FastAPI app, wiring."""
