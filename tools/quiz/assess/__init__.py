"""The instructor's engine."""
