"""curator: reader-response curation for newsletters."""

__version__ = "0.1.0"
