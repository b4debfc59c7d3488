"""Spaced-repetition study: the queue, grading, undo, leeches and card replies."""
