"""Group quizzes: timed questions in a channel, self-paced ones in a DM."""
