"""jiutai-data: development data of Jiutai District (九台区), as a validated Frictionless data package."""

__version__ = "0.1.0"
