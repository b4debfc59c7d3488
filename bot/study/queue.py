"""Which card comes next: due reviews (most overdue first), then new cards in pack
order up to the daily allowance, then learning cards due within 20 minutes
(learning ahead, as Anki does, rather than making the learner wait)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.learners import LearnerProfile
from bot.study.model import QuestionView, QueueEmpty, QueueItem, ReviewView, StudyScope
from bot.studyday import study_day, study_day_start
from storage.models import QUESTION, REVIEW_LOG, REVIEW_STATE

LEARN_AHEAD = timedelta(minutes=20)
LEARNING_STATES = (1, 3)  # fsrs State.Learning, State.Relearning

_QUESTION_COLUMNS = (
    QUESTION.c.id,
    QUESTION.c.item_id,
    QUESTION.c.kind,
    QUESTION.c.topic,
    QUESTION.c.prompt,
    QUESTION.c.choices_json,
    QUESTION.c.answer,
    QUESTION.c.explanation,
    QUESTION.c.reference,
    QUESTION.c.revision,
    QUESTION.c.accepted_json,
    QUESTION.c.code_set,
    QUESTION.c.sequence,
)
_STATE_COLUMNS = (
    REVIEW_STATE.c.state,
    REVIEW_STATE.c.step,
    REVIEW_STATE.c.stability,
    REVIEW_STATE.c.difficulty,
    REVIEW_STATE.c.due,
    REVIEW_STATE.c.last_review,
    REVIEW_STATE.c.reps,
    REVIEW_STATE.c.lapses,
    REVIEW_STATE.c.suspended,
)


def topic_filter(topic: str) -> sa.ColumnElement[bool]:
    """A topic matches itself and every topic below it ("terminology" covers
    "terminology.prefix")."""
    return sa.or_(
        QUESTION.c.topic == topic, QUESTION.c.topic.startswith(f"{topic}.", autoescape=True)
    )


@dataclass(frozen=True)
class _Shape:
    """What varies between queue statements; each shape is built and compiled once."""

    topic: bool
    exam: bool
    visibility: str  # "own" (a learner's whole queue), "bundled", "workspace"


def _shape(scope: StudyScope, *, for_new: bool) -> _Shape:
    if scope.is_dm and not for_new:
        visibility = "own"  # a learner's own queue, shown only to them
    elif scope.workspace_id is None:
        visibility = "bundled"
    else:
        visibility = "workspace"
    return _Shape(bool(scope.topic), bool(scope.exam), visibility)


def _params(learner_id: int | None, scope: StudyScope, now: datetime) -> dict[str, Any]:
    return {
        "learner": learner_id if learner_id is not None else -1,
        "now": now,
        "ahead": now + LEARN_AHEAD,
        "topic": scope.topic,
        "topic_dot": f"{scope.topic}.",
        "topic_dot_len": len(scope.topic) + 1,
        "exam_like": f"%,{scope.exam},%",
        "workspace": scope.workspace_id,
    }


def _filters(shape: _Shape) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = [QUESTION.c.retired.is_(False)]
    if shape.topic:
        prefix = sa.func.substr(
            QUESTION.c.topic, 1, sa.bindparam("topic_dot_len", type_=sa.Integer)
        )
        clauses.append(
            sa.or_(QUESTION.c.topic == sa.bindparam("topic"), prefix == sa.bindparam("topic_dot"))
        )
    if shape.exam:
        exams = sa.literal(",").concat(QUESTION.c.exams).concat(",")
        clauses.append(exams.like(sa.bindparam("exam_like")))
    # Written through coalesce on purpose: an indexable test on workspace_id makes
    # SQLite pick that index and sort every question for each new card, instead of
    # walking the study-order index and stopping at the first unseen card.
    owner = sa.func.coalesce(QUESTION.c.workspace_id, 0)
    if shape.visibility == "bundled":
        clauses.append(owner == 0)
    elif shape.visibility == "workspace":
        clauses.append(owner.in_([0, sa.bindparam("workspace", type_=sa.Integer)]))
    return clauses


_STATE_JOIN = REVIEW_STATE.join(QUESTION, QUESTION.c.id == REVIEW_STATE.c.question_id)
_MINE = (
    REVIEW_STATE.c.learner_id == sa.bindparam("learner"),
    REVIEW_STATE.c.suspended.is_(False),
)
_ORDER = (REVIEW_STATE.c.due, REVIEW_STATE.c.question_id)


@lru_cache(maxsize=64)
def _due_statement(shape: _Shape) -> sa.Select[Any]:
    return (
        sa.select(*_QUESTION_COLUMNS, *_STATE_COLUMNS)
        .select_from(_STATE_JOIN)
        .where(*_MINE, REVIEW_STATE.c.due <= sa.bindparam("now"), *_filters(shape))
        .order_by(*_ORDER)
        .limit(1)
    )


@lru_cache(maxsize=64)
def _ahead_statement(shape: _Shape) -> sa.Select[Any]:
    return (
        sa.select(*_QUESTION_COLUMNS, *_STATE_COLUMNS)
        .select_from(_STATE_JOIN)
        .where(*_MINE, REVIEW_STATE.c.due <= sa.bindparam("ahead"), *_filters(shape))
        .where(REVIEW_STATE.c.state.in_(LEARNING_STATES))
        .order_by(*_ORDER)
        .limit(1)
    )


@lru_cache(maxsize=64)
def _next_due_statement(shape: _Shape) -> sa.Select[Any]:
    return (
        sa.select(sa.func.min(REVIEW_STATE.c.due))
        .select_from(_STATE_JOIN)
        .where(*_MINE, *_filters(shape))
    )


@lru_cache(maxsize=64)
def _unseen_statement(shape: _Shape) -> sa.Select[Any]:
    seen = sa.select(REVIEW_STATE.c.question_id).where(
        REVIEW_STATE.c.learner_id == sa.bindparam("learner"),
        REVIEW_STATE.c.question_id == QUESTION.c.id,
    )
    return (
        sa.select(*_QUESTION_COLUMNS)
        .where(*_filters(shape), ~sa.exists(seen))
        .order_by(QUESTION.c.position, QUESTION.c.id)
        .limit(1)
    )


_NEW_TODAY = (
    sa.select(sa.func.count())
    .select_from(REVIEW_LOG)
    .where(
        REVIEW_LOG.c.learner_id == sa.bindparam("learner"),
        REVIEW_LOG.c.was_new.is_(True),
        REVIEW_LOG.c.undone_at.is_(None),
        REVIEW_LOG.c.reviewed_at >= sa.bindparam("start"),
    )
)
_LOAD_CARD = (
    sa.select(*_QUESTION_COLUMNS, QUESTION.c.retired, *_STATE_COLUMNS)
    .select_from(
        QUESTION.outerjoin(
            REVIEW_STATE,
            sa.and_(
                REVIEW_STATE.c.question_id == QUESTION.c.id,
                REVIEW_STATE.c.learner_id == sa.bindparam("learner"),
            ),
        )
    )
    .where(QUESTION.c.id == sa.bindparam("question"))
)


def new_cards_today(conn: Connection, learner: LearnerProfile, now: datetime) -> int:
    """How many new cards the learner has started since their study day began (4 am)."""
    if learner.id is None:
        return 0
    start = study_day_start(study_day(now, learner.tz), learner.tz)
    count = conn.scalar(_NEW_TODAY, {"learner": learner.id, "start": start})
    return int(count or 0)


def next_item(
    conn: Connection, learner: LearnerProfile, scope: StudyScope, now: datetime
) -> QueueItem | QueueEmpty:
    """The card to show now, or why there is none."""
    limit = learner.new_per_day
    params = _params(learner.id, scope, now)
    reviews_shape = _shape(scope, for_new=False)
    if learner.id is not None:
        due = conn.execute(_due_statement(reviews_shape), params).first()
        if due is not None:  # the new-card count only matters once reviews are done
            return _item(due._mapping, 0, limit, review=True)
    new_today = new_cards_today(conn, learner, now)
    unseen = _unseen_statement(_shape(scope, for_new=True))
    if new_today < limit:
        fresh = conn.execute(unseen, params).first()
        if fresh is not None:
            return _item(fresh._mapping, new_today, limit, review=False)
    next_due = None
    if learner.id is not None:
        ahead = conn.execute(_ahead_statement(reviews_shape), params).first()
        if ahead is not None:
            return _item(ahead._mapping, new_today, limit, review=True)
        next_due = conn.scalar(_next_due_statement(reviews_shape), params)
    unseen_left = conn.execute(unseen, params).first() is not None
    return QueueEmpty(next_due, new_today, limit, unseen_left)


def _item(row: Any, new_today: int, limit: int, *, review: bool) -> QueueItem:
    return QueueItem(
        question=QuestionView.from_mapping(row),
        review=ReviewView.from_mapping(row) if review else None,
        new_today=new_today,
        new_limit=limit,
    )


def load_card(
    conn: Connection, learner_id: int | None, question_id: int
) -> tuple[QuestionView, ReviewView | None] | None:
    """One question and the learner's card for it (None when never studied)."""
    row = conn.execute(
        _LOAD_CARD,
        {"learner": learner_id if learner_id is not None else -1, "question": question_id},
    ).first()
    if row is None or row.retired:
        return None
    mapping = row._mapping
    review = ReviewView.from_mapping(mapping) if mapping["state"] is not None else None
    return QuestionView.from_mapping(mapping), review
