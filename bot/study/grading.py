"""Recording a grade, undoing it, and leeches: each runs inside one transaction.

A grade is a compare-and-set on what the learner was shown: the button carries the
card's review count, and the write only happens while the card still has that
count. A double click or a second device therefore counts once, while a card shown
again after Again (with its new count) grades again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Connection

from bot import strings
from bot.errors import StaleClick, UserError
from bot.learners import LearnerProfile
from bot.srs import CardState, Grade, apply_at, is_leech, schedule
from bot.study.model import QuestionView, ReviewView
from bot.study.queue import load_card
from storage.models import QUESTION, REVIEW_LOG, REVIEW_STATE
from storage.upsert import insert_ignore

REVIEW_STATE_VALUE = 2  # fsrs State.Review
_MAX_DURATION = timedelta(minutes=30)
_CLOCK_SKEW = timedelta(seconds=5)
_UPDATE_IF_UNCHANGED = REVIEW_STATE.update().where(
    REVIEW_STATE.c.learner_id == sa.bindparam("b_learner"),
    REVIEW_STATE.c.question_id == sa.bindparam("b_question"),
    REVIEW_STATE.c.reps == sa.bindparam("b_reps"),
)
_INSERT_LOG = REVIEW_LOG.insert()


@dataclass(frozen=True)
class GradeResult:
    """What a grade did, for the reply."""

    question: QuestionView
    grade: Grade
    interval: timedelta
    lapses: int
    became_leech: bool


def shown_instant(stamp: int, now: datetime) -> datetime:
    """The shown-at stamp from a button, never in the future."""
    shown = datetime.fromtimestamp(stamp, UTC)
    return min(shown, now) if shown - now > _CLOCK_SKEW else shown


def record_grade(
    conn: Connection,
    learner: LearnerProfile,
    seed: str,
    question_id: int,
    shown_reps: int,
    shown_at: datetime,
    grade: Grade,
    now: datetime,
    source: str = "study",
) -> GradeResult:
    """Grade a card exactly once for what was shown; StaleClick when already graded."""
    assert learner.id is not None, "ensure_learner before grading"
    loaded = load_card(conn, learner.id, question_id)
    if loaded is None:
        raise UserError(strings.RETIRED)
    question, review = loaded
    current_reps = review.reps if review else 0
    if current_reps != shown_reps:
        raise StaleClick(strings.STALE)
    if review is not None and review.suspended:
        raise UserError(strings.SUSPENDED)
    before_card = review.card if review else CardState.new(shown_at)
    outcome = schedule(
        before_card,
        grade,
        shown_at,
        retention=learner.retention,
        seed=seed,
        question_id=question_id,
        reps=shown_reps,
    )
    lapsed = review is not None and review.card.state == REVIEW_STATE_VALUE and grade is Grade.AGAIN
    lapses = (review.lapses if review else 0) + (1 if lapsed else 0)
    leech = lapsed and is_leech(lapses)
    after = ReviewView(apply_at(outcome, now), shown_reps + 1, lapses, leech)

    if review is None:
        inserted = insert_ignore(
            conn,
            REVIEW_STATE,
            {"learner_id": learner.id, "question_id": question_id, **after.columns()},
        )
        if not inserted:
            raise StaleClick(strings.STALE)
    else:
        result = conn.execute(
            _UPDATE_IF_UNCHANGED,
            {"b_learner": learner.id, "b_question": question_id, "b_reps": shown_reps}
            | after.columns(),
        )
        if result.rowcount != 1:
            raise StaleClick(strings.STALE)

    duration = now - shown_at
    conn.execute(
        _INSERT_LOG,
        {
            "learner_id": learner.id,
            "question_id": question_id,
            "question_revision": question.revision,
            "rating": int(grade),
            "reviewed_at": now,
            "duration_ms": int(duration.total_seconds() * 1000)
            if timedelta(0) <= duration <= _MAX_DURATION
            else None,
            "source": source,
            "was_new": review is None,
            "state_before": review.to_json() if review else "null",
            "state_after": after.to_json(),
            "undone_at": None,
        },
    )
    return GradeResult(question, grade, outcome.interval, lapses, leech)


@dataclass(frozen=True)
class UndoResult:
    """Which grade was undone, so the card can be shown again."""

    question_id: int
    grade: Grade


def undo_last(conn: Connection, learner_id: int, now: datetime) -> UndoResult:
    """Revert the learner's most recent grade that is not already undone."""
    last = (
        conn.execute(
            sa.select(
                REVIEW_LOG.c.id,
                REVIEW_LOG.c.question_id,
                REVIEW_LOG.c.rating,
                REVIEW_LOG.c.state_before,
            )
            .where(REVIEW_LOG.c.learner_id == learner_id, REVIEW_LOG.c.undone_at.is_(None))
            .order_by(REVIEW_LOG.c.id.desc())
            .limit(1)
        )
    ).first()
    if last is None:
        raise UserError(strings.UNDO_NOTHING)
    claimed = conn.execute(
        REVIEW_LOG.update()
        .where(REVIEW_LOG.c.id == last.id, REVIEW_LOG.c.undone_at.is_(None))
        .values(undone_at=now)
    )
    if claimed.rowcount != 1:
        raise StaleClick(strings.UNDO_NOTHING)
    where = (
        REVIEW_STATE.c.learner_id == learner_id,
        REVIEW_STATE.c.question_id == last.question_id,
    )
    if last.state_before == "null":
        conn.execute(REVIEW_STATE.delete().where(*where))
    else:
        before = ReviewView.from_json(last.state_before)
        conn.execute(REVIEW_STATE.update().where(*where).values(**before.columns()))
    return UndoResult(int(last.question_id), Grade(int(last.rating)))


@dataclass(frozen=True)
class Leech:
    """A suspended card in the /leeches list."""

    question_id: int
    prompt: str
    lapses: int


def list_leeches(conn: Connection, learner_id: int, limit: int) -> list[Leech]:
    """Suspended cards, most lapsed first."""
    result = conn.execute(
        sa.select(REVIEW_STATE.c.question_id, QUESTION.c.prompt, REVIEW_STATE.c.lapses)
        .select_from(REVIEW_STATE.join(QUESTION, QUESTION.c.id == REVIEW_STATE.c.question_id))
        .where(REVIEW_STATE.c.learner_id == learner_id, REVIEW_STATE.c.suspended.is_(True))
        .order_by(REVIEW_STATE.c.lapses.desc(), REVIEW_STATE.c.question_id)
        .limit(limit)
    )
    return [Leech(int(row.question_id), str(row.prompt), int(row.lapses)) for row in result]


def count_leeches(conn: Connection, learner_id: int) -> int:
    count = conn.scalar(
        sa.select(sa.func.count())
        .select_from(REVIEW_STATE)
        .where(REVIEW_STATE.c.learner_id == learner_id, REVIEW_STATE.c.suspended.is_(True))
    )
    return int(count or 0)


def unsuspend(conn: Connection, learner_id: int, question_id: int) -> str:
    """Put a suspended card back in the queue; returns its prompt."""
    result = conn.execute(
        REVIEW_STATE.update()
        .where(
            REVIEW_STATE.c.learner_id == learner_id,
            REVIEW_STATE.c.question_id == question_id,
            REVIEW_STATE.c.suspended.is_(True),
        )
        .values(suspended=False)
    )
    if result.rowcount != 1:
        raise StaleClick(strings.NOT_SUSPENDED)
    prompt = conn.scalar(sa.select(QUESTION.c.prompt).where(QUESTION.c.id == question_id))
    return str(prompt or "")
