"""Scores: the points rollup behind leaderboards, and learner statistics."""
