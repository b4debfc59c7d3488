"""The quiz's SQL: every step is a function over one Connection, inside one transaction.

State lives only in these rows. A reveal is claimed by a conditional update
(status 'open' -> 'revealed'), so however many processes or timers try, exactly one
reveals each question; the same holds for opening the next one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from bot.study.queue import topic_filter
from storage.models import ATTEMPT, QUESTION, QUIZ_QUESTION, QUIZ_SESSION

QUIZ_KINDS = ("mcq", "true_false")


@dataclass(frozen=True)
class QuizItem:
    """A quiz question as posted: the item, its place in the quiz and its deadline."""

    quiz_question_id: int
    session_id: int
    number: int
    count: int
    question_id: int
    revision: int
    kind: str
    topic: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    reference: str
    deadline: datetime | None
    posted_at: datetime | None
    seconds: int
    status: str
    session_status: str
    channel: str
    platform: str
    workspace_id: int | None
    is_dm: bool
    starter_learner_id: int

    @property
    def labels(self) -> tuple[str, ...]:
        return ("True", "False") if self.kind == "true_false" else self.choices

    @property
    def correct_choice(self) -> int:
        if self.kind == "true_false":
            return 0 if self.answer == "true" else 1
        return "ABCD".index(self.answer)

    def choice_text(self, index: int) -> str:
        if self.kind == "true_false":
            return self.labels[index]
        return f"{'ABCD'[index]}. {self.choices[index]}"


_ITEM_COLUMNS = (
    QUIZ_QUESTION.c.id.label("quiz_question_id"),
    QUIZ_QUESTION.c.session_id,
    QUIZ_QUESTION.c.number,
    QUIZ_SESSION.c.count,
    QUIZ_QUESTION.c.question_id,
    QUIZ_QUESTION.c.question_revision.label("revision"),
    QUESTION.c.kind,
    QUESTION.c.topic,
    QUESTION.c.prompt,
    QUESTION.c.choices_json,
    QUESTION.c.answer,
    QUESTION.c.explanation,
    QUESTION.c.reference,
    QUIZ_QUESTION.c.deadline,
    QUIZ_QUESTION.c.posted_at,
    QUIZ_SESSION.c.seconds,
    QUIZ_QUESTION.c.status,
    QUIZ_SESSION.c.status.label("session_status"),
    QUIZ_SESSION.c.channel,
    QUIZ_SESSION.c.platform,
    QUIZ_SESSION.c.workspace_id,
    QUIZ_SESSION.c.is_dm,
    QUIZ_SESSION.c.starter_learner_id,
)
_ITEM_FROM = QUIZ_QUESTION.join(QUIZ_SESSION, QUIZ_SESSION.c.id == QUIZ_QUESTION.c.session_id).join(
    QUESTION, QUESTION.c.id == QUIZ_QUESTION.c.question_id
)


def _item(row: Any) -> QuizItem:
    data = dict(row._mapping)
    data["choices"] = tuple(json.loads(data.pop("choices_json")))
    return QuizItem(**data)


_LOAD_ITEM = (
    sa.select(*_ITEM_COLUMNS)
    .select_from(_ITEM_FROM)
    .where(QUIZ_QUESTION.c.id == sa.bindparam("qq", type_=sa.Integer))
)


def load_item(conn: Connection, quiz_question_id: int) -> QuizItem | None:
    row = conn.execute(_LOAD_ITEM, {"qq": quiz_question_id}).first()
    return _item(row) if row is not None else None


def item_by_number(conn: Connection, session_id: int, number: int) -> QuizItem | None:
    row = conn.execute(
        sa.select(*_ITEM_COLUMNS)
        .select_from(_ITEM_FROM)
        .where(QUIZ_QUESTION.c.session_id == session_id, QUIZ_QUESTION.c.number == number)
    ).first()
    return _item(row) if row is not None else None


def pick_questions(
    conn: Connection, workspace_id: int | None, topic: str, exam: str, count: int
) -> list[tuple[int, int]]:
    """(question id, revision) for up to `count` random live mcq/true-false items the
    workspace may see."""
    query = sa.select(QUESTION.c.id, QUESTION.c.revision).where(
        QUESTION.c.retired.is_(False), QUESTION.c.kind.in_(QUIZ_KINDS)
    )
    owner = sa.func.coalesce(QUESTION.c.workspace_id, 0)
    query = query.where(owner.in_([0, workspace_id or 0]))
    if topic:
        query = query.where(topic_filter(topic))
    if exam:
        query = query.where(
            sa.literal(",").concat(QUESTION.c.exams).concat(",").contains(f",{exam},")
        )
    rows = conn.execute(query.order_by(sa.func.random()).limit(count))
    return [(int(row.id), int(row.revision)) for row in rows]


def create_session(
    conn: Connection,
    *,
    platform: str,
    workspace_id: int | None,
    channel: str,
    is_dm: bool,
    starter_learner_id: int,
    topic: str,
    exam: str,
    seconds: int,
    questions: list[tuple[int, int]],
    now: datetime,
) -> int | None:
    """A running session with its questions; None when the channel already has one."""
    values = {
        "platform": platform,
        "workspace_id": workspace_id,
        "channel": channel,
        "is_dm": is_dm,
        "starter_learner_id": starter_learner_id,
        "topic": topic,
        "exam": exam,
        "count": len(questions),
        "seconds": seconds,
        "status": "running",
        "created_at": now,
    }
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(QUIZ_SESSION).values(**values).on_conflict_do_nothing()
    inserted = conn.execute(statement.returning(QUIZ_SESSION.c.id)).scalar_one_or_none()
    if inserted is None:
        return None
    session_id = int(inserted)
    conn.execute(
        QUIZ_QUESTION.insert(),
        [
            {
                "session_id": session_id,
                "number": number,
                "question_id": question_id,
                "question_revision": revision,
                "status": "pending",
                "message_id": "",
            }
            for number, (question_id, revision) in enumerate(questions, start=1)
        ],
    )
    return session_id


def running_session(conn: Connection, platform: str, channel: str) -> Any:
    return conn.execute(
        sa.select(QUIZ_SESSION).where(
            QUIZ_SESSION.c.platform == platform,
            QUIZ_SESSION.c.channel == channel,
            QUIZ_SESSION.c.status == "running",
        )
    ).first()


def open_question(
    conn: Connection, session_id: int, number: int, now: datetime, seconds: int | None
) -> bool:
    """Post question `number`: pending -> open, with its deadline; claimed once."""
    deadline = now + timedelta(seconds=seconds) if seconds else None
    result = conn.execute(
        QUIZ_QUESTION.update()
        .where(
            QUIZ_QUESTION.c.session_id == session_id,
            QUIZ_QUESTION.c.number == number,
            QUIZ_QUESTION.c.status == "pending",
        )
        .values(status="open", posted_at=now, deadline=deadline)
    )
    return result.rowcount == 1


def claim_reveal(conn: Connection, quiz_question_id: int, now: datetime) -> bool:
    """open -> revealed, once; the winner freezes the answers."""
    result = conn.execute(
        QUIZ_QUESTION.update()
        .where(QUIZ_QUESTION.c.id == quiz_question_id, QUIZ_QUESTION.c.status == "open")
        .values(status="revealed", revealed_at=now)
    )
    if result.rowcount != 1:
        return False
    conn.execute(
        ATTEMPT.update().where(ATTEMPT.c.quiz_question_id == quiz_question_id).values(final=True)
    )
    return True


def finish_session(conn: Connection, session_id: int, status: str, now: datetime) -> bool:
    result = conn.execute(
        QUIZ_SESSION.update()
        .where(QUIZ_SESSION.c.id == session_id, QUIZ_SESSION.c.status == "running")
        .values(status=status, finished_at=now)
    )
    return result.rowcount == 1


def due_reveals(conn: Connection, now: datetime) -> list[int]:
    """Open timed questions whose deadline has passed (after a restart too)."""
    rows = conn.execute(
        sa.select(QUIZ_QUESTION.c.id)
        .where(QUIZ_QUESTION.c.status == "open", QUIZ_QUESTION.c.deadline <= now)
        .order_by(QUIZ_QUESTION.c.deadline)
    )
    return [int(row.id) for row in rows]


def next_deadline(conn: Connection) -> datetime | None:
    value = conn.scalar(
        sa.select(sa.func.min(QUIZ_QUESTION.c.deadline)).where(QUIZ_QUESTION.c.status == "open")
    )
    return value if isinstance(value, datetime) else None


def open_item(conn: Connection, session_id: int) -> QuizItem | None:
    row = conn.execute(
        sa.select(*_ITEM_COLUMNS)
        .select_from(_ITEM_FROM)
        .where(QUIZ_QUESTION.c.session_id == session_id, QUIZ_QUESTION.c.status == "open")
    ).first()
    return _item(row) if row is not None else None
