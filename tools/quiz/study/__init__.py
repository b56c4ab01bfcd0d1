"""The student's loop: the attempts store (SQLite), the quiz session, the terminal front
end, how an answer is shown (render) and shown again (history), spaced-repetition review
and progress statistics.

May import: quiz.course and the ground (never quiz.assess: a student's quiz grades through
the question model and the key items of quiz.course.sheets, like every other channel).
"""
