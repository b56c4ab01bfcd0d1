"""Reading the course."""
