"""Reading the course: the report texts and passage search, safe YAML, the schemas, banks,
lessons, validation and lint, the catalog and index of banks, question selection, and the
sheet and key files that both the instructor's engine and the student's loop read.

May import: the ground (quiz.model, errors, textnorm, paths, gcpause) only.
"""
