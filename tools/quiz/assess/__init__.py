"""The instructor's engine: generating quiz sheets and keys, grading a class, item
analysis, reports and printable sheets.

May import: quiz.course and the ground.
"""
