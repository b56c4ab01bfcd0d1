"""The student's loop."""
