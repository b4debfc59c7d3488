"""Which card comes next: due reviews (most overdue first), then new cards in pack
order up to the daily allowance, then learning cards due within 20 minutes
(learning ahead, as Anki does, rather than making the learner wait)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

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


def _filters(scope: StudyScope, *, for_new: bool) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = [QUESTION.c.retired.is_(False)]
    if scope.topic:
        clauses.append(topic_filter(scope.topic))
    if scope.exam:
        clauses.append(
            sa.literal(",").concat(QUESTION.c.exams).concat(",").contains(f",{scope.exam},")
        )
    if scope.is_dm and not for_new:
        return clauses  # a learner's own queue, shown only to them
    if scope.workspace_id is None:
        clauses.append(QUESTION.c.workspace_id.is_(None))
    else:
        clauses.append(
            sa.or_(QUESTION.c.workspace_id.is_(None), QUESTION.c.workspace_id == scope.workspace_id)
        )
    return clauses


async def new_cards_today(conn: AsyncConnection, learner: LearnerProfile, now: datetime) -> int:
    """How many new cards the learner has started since their study day began (4 am)."""
    if learner.id is None:
        return 0
    start = study_day_start(study_day(now, learner.tz), learner.tz)
    count = await conn.scalar(
        sa.select(sa.func.count())
        .select_from(REVIEW_LOG)
        .where(
            REVIEW_LOG.c.learner_id == learner.id,
            REVIEW_LOG.c.was_new.is_(True),
            REVIEW_LOG.c.undone_at.is_(None),
            REVIEW_LOG.c.reviewed_at >= start,
        )
    )
    return int(count or 0)


def _reviews(learner_id: int, scope: StudyScope) -> sa.Select[Any]:
    return (
        sa.select(*_QUESTION_COLUMNS, *_STATE_COLUMNS)
        .select_from(REVIEW_STATE.join(QUESTION, QUESTION.c.id == REVIEW_STATE.c.question_id))
        .where(REVIEW_STATE.c.learner_id == learner_id, REVIEW_STATE.c.suspended.is_(False))
        .where(*_filters(scope, for_new=False))
    )


def _unseen(learner_id: int | None, scope: StudyScope) -> sa.Select[Any]:
    query = sa.select(*_QUESTION_COLUMNS).where(*_filters(scope, for_new=True))
    if learner_id is not None:
        seen = sa.select(REVIEW_STATE.c.question_id).where(
            REVIEW_STATE.c.learner_id == learner_id,
            REVIEW_STATE.c.question_id == QUESTION.c.id,
        )
        query = query.where(~sa.exists(seen))
    return query


async def next_item(
    conn: AsyncConnection, learner: LearnerProfile, scope: StudyScope, now: datetime
) -> QueueItem | QueueEmpty:
    """The card to show now, or why there is none."""
    new_today = await new_cards_today(conn, learner, now)
    limit = learner.new_per_day
    if learner.id is not None:
        due = (
            await conn.execute(
                _reviews(learner.id, scope)
                .where(REVIEW_STATE.c.due <= now)
                .order_by(REVIEW_STATE.c.due, REVIEW_STATE.c.question_id)
                .limit(1)
            )
        ).first()
        if due is not None:
            return _item(due._mapping, new_today, limit, review=True)
    unseen = _unseen(learner.id, scope).order_by(QUESTION.c.pack_id, QUESTION.c.position)
    if new_today < limit:
        fresh = (await conn.execute(unseen.limit(1))).first()
        if fresh is not None:
            return _item(fresh._mapping, new_today, limit, review=False)
    if learner.id is not None:
        ahead = (
            await conn.execute(
                _reviews(learner.id, scope)
                .where(REVIEW_STATE.c.due <= now + LEARN_AHEAD)
                .where(REVIEW_STATE.c.state.in_(LEARNING_STATES))
                .order_by(REVIEW_STATE.c.due, REVIEW_STATE.c.question_id)
                .limit(1)
            )
        ).first()
        if ahead is not None:
            return _item(ahead._mapping, new_today, limit, review=True)
    next_due = None
    if learner.id is not None:
        next_due = await conn.scalar(
            sa.select(sa.func.min(REVIEW_STATE.c.due))
            .select_from(REVIEW_STATE.join(QUESTION, QUESTION.c.id == REVIEW_STATE.c.question_id))
            .where(REVIEW_STATE.c.learner_id == learner.id, REVIEW_STATE.c.suspended.is_(False))
            .where(*_filters(scope, for_new=False))
        )
    unseen_left = (await conn.execute(unseen.limit(1))).first() is not None
    return QueueEmpty(next_due, new_today, limit, unseen_left)


def _item(row: Any, new_today: int, limit: int, *, review: bool) -> QueueItem:
    return QueueItem(
        question=QuestionView.from_mapping(row),
        review=ReviewView.from_mapping(row) if review else None,
        new_today=new_today,
        new_limit=limit,
    )


async def load_card(
    conn: AsyncConnection, learner_id: int | None, question_id: int
) -> tuple[QuestionView, ReviewView | None] | None:
    """One question and the learner's card for it (None when never studied)."""
    row = (
        await conn.execute(
            sa.select(*_QUESTION_COLUMNS, QUESTION.c.retired).where(QUESTION.c.id == question_id)
        )
    ).first()
    if row is None or row.retired:
        return None
    review = None
    if learner_id is not None:
        state = (
            await conn.execute(
                sa.select(*_STATE_COLUMNS).where(
                    REVIEW_STATE.c.learner_id == learner_id,
                    REVIEW_STATE.c.question_id == question_id,
                )
            )
        ).first()
        review = ReviewView.from_mapping(state._mapping) if state is not None else None
    return QuestionView.from_mapping(row._mapping), review
