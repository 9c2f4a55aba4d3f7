"""Contributor tools: add-source and diff."""
