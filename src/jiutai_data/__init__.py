"""jiutai-data: development data of Jiutai District (九台区), as a validated Frictionless data package."""

# Imported eagerly: `jiutai_data.load` must name the function, and a later first import of
# the submodule would otherwise rebind the attribute to the module.
from jiutai_data.load import load

__version__ = "0.1.0"
__all__ = ["__version__", "load"]
