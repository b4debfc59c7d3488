"""The daily challenge: subscriptions, the post, answers, the reveal and streaks."""
