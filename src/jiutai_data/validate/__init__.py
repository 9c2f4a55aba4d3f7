"""Validation: the checks over the typed frames, and the report of their findings."""
