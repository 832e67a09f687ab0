"""Goldthread: one thread from strategic objective to security cooperation event, and back."""

__version__ = "0.1.0"
