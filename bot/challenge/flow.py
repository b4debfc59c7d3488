"""The reveal, in the transaction that claims it: freeze and score the answers, add the
points to the leaderboard rollup, count streaks, and send misses to study."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from bot.challenge import answers, store, streaks
from bot.quiz.flow import send_misses_to_study
from bot.scores.rollup import add_points


@dataclass(frozen=True)
class Revealed:
    item: store.ChallengeItem
    scored: list[answers.Scored]
    streaks: dict[int, int]  # learner id -> streak after this challenge


def reveal(conn: Connection, challenge_id: int, now: datetime, default_tz: str) -> Revealed | None:
    """Reveal one challenge if this caller wins the claim; None when someone else did."""
    if not store.claim_reveal(conn, challenge_id, now):
        return None
    item = store.load_challenge(conn, challenge_id)
    assert item is not None
    scored = answers.finalise(conn, challenge_id)
    for answer in scored:
        add_points(
            conn,
            workspace_id=item.workspace_id,
            channel=item.channel,
            learner_id=answer.learner_id,
            day=item.score_day,
            points=answer.points,
            correct=answer.correct,
            at=answer.answered_at,
        )
    counted = streaks.record_day(
        conn, item.workspace_id, [answer.learner_id for answer in scored], item.score_day
    )
    missed_by = [answer.learner_id for answer in scored if not answer.correct]
    send_misses_to_study(conn, item.question_id, missed_by, now, default_tz, "challenge")
    return Revealed(item, scored, counted)
