"""The online book."""
