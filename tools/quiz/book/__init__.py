"""The online book: lesson notebooks and course pages assembled from lessons, banks and
sources, the Sphinx configuration, and the Jupyter Book build.

May import: everything in the package except quiz.cli (the instructor guide documents the
commands through sphinx-click, which reads the CLI when Sphinx runs).
"""
