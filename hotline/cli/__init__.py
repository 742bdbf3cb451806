"""The ``hotline`` console script."""
