"""How `validate` holds the large tables (those with a source_id): the modes, and the size above which ``auto`` bounds them.

Declared here, apart from validate/bounded.py, so that the command line can offer them
without importing polars.
"""

MEMORY_MODES = ("auto", "whole", "bounded")
# The in-memory run peaks near four times the large tables' CSV bytes; above this, ``auto``
# checks them a chunk and a bucket of sources at a time instead.
BOUNDED_ABOVE_BYTES = 128 << 20
