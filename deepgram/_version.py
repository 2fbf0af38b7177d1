"""The package version (also sent in the User-Agent header)."""

__version__ = "2.13.0"
