"""What a reveal does, in the transaction that claims it: freeze the answers, add the
points to the leaderboard rollup, send misses to each learner's study queue, then open
the next question or finish the quiz."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.config_cmd import workspace_zone
from bot.errors import UserError
from bot.learners import learner_by_id
from bot.quiz import attempts, store
from bot.scores.rollup import add_points
from bot.srs import CardState, Grade
from bot.study.grading import record_grade
from storage.models import REVIEW_STATE
from storage.upsert import insert_ignore


@dataclass(frozen=True)
class Revealed:
    """Everything the reveal message and what follows it need."""

    item: store.QuizItem
    answers: list[attempts.FinalAnswer]
    next_item: store.QuizItem | None
    standings: list[attempts.Standing] | None


def send_misses_to_study(
    conn: Connection,
    question_id: int,
    missed_by: list[int],
    now: datetime,
    default_tz: str,
    source: str = "quiz",
) -> None:
    """A wrong final answer (quiz or challenge) is a lapse on a card the learner studies,
    or a new card due now."""
    for learner_id in missed_by:
        state = conn.execute(
            sa.select(REVIEW_STATE.c.reps, REVIEW_STATE.c.suspended).where(
                REVIEW_STATE.c.learner_id == learner_id,
                REVIEW_STATE.c.question_id == question_id,
            )
        ).first()
        if state is None:
            fresh = CardState.new(now)
            insert_ignore(
                conn,
                REVIEW_STATE,
                {
                    "learner_id": learner_id,
                    "question_id": question_id,
                    "state": fresh.state,
                    "step": fresh.step,
                    "stability": None,
                    "difficulty": None,
                    "due": now,
                    "last_review": None,
                    "reps": 0,
                    "lapses": 0,
                    "suspended": False,
                },
            )
        elif not state.suspended:
            learner, seed = learner_by_id(conn, learner_id, default_tz)
            try:
                record_grade(
                    conn,
                    learner,
                    seed,
                    question_id,
                    int(state.reps),
                    now,
                    Grade.AGAIN,
                    now,
                    source=source,
                )
            except UserError:
                continue  # retired meanwhile: nothing to study


def reveal(
    conn: Connection, quiz_question_id: int, now: datetime, default_tz: str
) -> Revealed | None:
    """Reveal one question if this caller wins the claim; None when someone else did."""
    if not store.claim_reveal(conn, quiz_question_id, now):
        return None
    item = store.load_item(conn, quiz_question_id)
    assert item is not None
    answers = attempts.final_answers(conn, quiz_question_id)
    if item.workspace_id is not None and not item.is_dm:
        day = now.astimezone(workspace_zone(conn, item.workspace_id, default_tz)).date()
        for answer in answers:
            add_points(
                conn,
                workspace_id=item.workspace_id,
                channel=item.channel,
                learner_id=answer.learner_id,
                day=day,
                points=answer.points,
                correct=answer.correct,
                at=answer.answered_at,
            )
    missed_by = [answer.learner_id for answer in answers if not answer.correct]
    send_misses_to_study(conn, item.question_id, missed_by, now, default_tz)
    next_item = None
    if item.session_status == "running" and item.number < item.count:
        seconds = None if item.is_dm else item.seconds
        if store.open_question(conn, item.session_id, item.number + 1, now, seconds):
            next_item = store.item_by_number(conn, item.session_id, item.number + 1)
    final = None
    if next_item is None:
        store.finish_session(conn, item.session_id, "finished", now)
        final = attempts.standings(conn, item.session_id)
    return Revealed(item, answers, next_item, final)
