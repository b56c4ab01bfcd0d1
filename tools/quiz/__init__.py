"""The `quiz` package: one question model behind the course's lessons, banks and tools."""

__version__ = "0.1.0"
