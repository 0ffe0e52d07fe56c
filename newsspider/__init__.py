"""newsspider: crawl news sites into clean, typed, spreadsheet-safe data."""

__version__ = "0.1.0"
