"""Tests of the call simulator."""
