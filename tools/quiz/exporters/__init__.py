"""Exporters: one small module per output format over the one question model.

Each module takes model questions (quiz.model) and returns the format's data, so the
book, `quiz export` and tests share one conversion per format:

- `jupyterquiz`: the JSON that jupyterquiz's `display_quiz` shows as an interactive
  quiz (used by the online book's self-check quizzes).

May import: quiz.course, quiz.assess and the ground.
"""
