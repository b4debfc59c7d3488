"""The tables. Column names are the contract with the Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(nullable: bool = False, index: bool = False) -> sa.Column[datetime]:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


class Workspace(SQLModel, table=True):
    """A Discord guild, a Slack team, or the console: owns leaderboards and custom questions."""

    __tablename__ = "workspace"
    __table_args__ = (sa.UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    timezone: str | None = Field(default=None, max_length=64)
    settings_json: str = Field(default="{}")
    created_at: datetime = Field(sa_column=_utc())


class Learner(SQLModel, table=True):
    """A person on one platform; their study history follows them across servers and DMs."""

    __tablename__ = "learner"
    __table_args__ = (sa.UniqueConstraint("platform", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    user_id: str = Field(max_length=64)
    display_name: str = Field(default="", max_length=100)
    timezone: str | None = Field(default=None, max_length=64)
    new_per_day: int = Field(default=20)
    desired_retention: float = Field(default=0.9)
    study_topic: str = Field(default="", max_length=64)
    study_exam: str = Field(default="", max_length=8)
    leaderboard_hidden: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    reminder_time: str | None = Field(default=None, max_length=5)
    created_at: datetime = Field(sa_column=_utc())


class Pack(SQLModel, table=True):
    """An imported question pack; `content_hash` decides whether a re-import is needed."""

    __tablename__ = "pack"

    id: str = Field(primary_key=True, max_length=64)
    title: str = Field(max_length=200)
    version: int = Field(default=1)
    origin: str = Field(default="hand", max_length=16)
    source: str = Field(default="", max_length=300)
    licence: str = Field(default="", max_length=100)
    release: str = Field(default="", max_length=100)
    content_hash: str = Field(max_length=64)
    imported_at: datetime = Field(sa_column=_utc())


class Question(SQLModel, table=True):
    """One item. `item_id` is the pack's stable id; `revision` grows when its content changes."""

    __tablename__ = "question"
    __table_args__ = (
        sa.UniqueConstraint("item_id"),
        sa.Index("ix_question_study_order", "position", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: str = Field(max_length=120)
    pack_id: str = Field(foreign_key="pack.id", max_length=64, index=True)
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", index=True)
    position: int = Field(default=0)
    kind: str = Field(max_length=16)
    topic: str = Field(max_length=64, index=True)
    exams: str = Field(default="", max_length=64)
    difficulty: int = Field(default=1)
    prompt: str
    choices_json: str = Field(default="[]")
    answer: str
    explanation: str = Field(default="")
    reference: str = Field(default="")
    accepted_json: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})
    code_set: str = Field(default="", max_length=16, sa_column_kwargs={"server_default": ""})
    sequence: str = Field(
        default="ordered", max_length=8, sa_column_kwargs={"server_default": "ordered"}
    )
    billable: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    teaches_invalid_code: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )
    revision: int = Field(default=1)
    content_hash: str = Field(max_length=64)
    retired: bool = Field(default=False)


class ReviewState(SQLModel, table=True):
    """One FSRS card per learner x question, plus the counters fsrs does not keep."""

    __tablename__ = "review_state"
    __table_args__ = (sa.Index("ix_review_state_due", "learner_id", "suspended", "due"),)

    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    question_id: int = Field(foreign_key="question.id", primary_key=True)
    state: int
    step: int | None = Field(default=None)
    stability: float | None = Field(default=None)
    difficulty: float | None = Field(default=None)
    due: datetime = Field(sa_column=_utc())
    last_review: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    reps: int = Field(default=0)
    lapses: int = Field(default=0)
    suspended: bool = Field(default=False)


class ReviewLog(SQLModel, table=True):
    """Every grade, append-only; `state_before` lets /undo restore the card exactly."""

    __tablename__ = "review_log"
    __table_args__ = (sa.Index("ix_review_log_learner_time", "learner_id", "reviewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id")
    question_id: int = Field(foreign_key="question.id")
    question_revision: int = Field(default=1)
    rating: int
    reviewed_at: datetime = Field(sa_column=_utc())
    duration_ms: int | None = Field(default=None)
    source: str = Field(default="study", max_length=16)
    was_new: bool = Field(default=False)
    state_before: str
    state_after: str
    undone_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


def table(model: type[SQLModel]) -> sa.Table:
    """The Core table behind a model, for lean statements on the hot path."""
    result = model.__table__  # type: ignore[attr-defined]
    assert isinstance(result, sa.Table)
    return result


WORKSPACE = table(Workspace)
LEARNER = table(Learner)
PACK = table(Pack)
QUESTION = table(Question)
REVIEW_STATE = table(ReviewState)
REVIEW_LOG = table(ReviewLog)


class QuizSession(SQLModel, table=True):
    """A quiz in a channel or a DM; at most one running per channel (partial unique index)."""

    __tablename__ = "quiz_session"
    __table_args__ = (
        sa.Index(
            "ux_quiz_session_running",
            "platform",
            "channel",
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", index=True)
    channel: str = Field(max_length=64)
    is_dm: bool = Field(default=False)
    starter_learner_id: int | None = Field(default=None, foreign_key="learner.id")
    topic: str = Field(default="", max_length=64)
    exam: str = Field(default="", max_length=8)
    count: int
    seconds: int
    status: str = Field(default="running", max_length=16)
    created_at: datetime = Field(sa_column=_utc())
    finished_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))


class QuizQuestion(SQLModel, table=True):
    """One question of a quiz; revealed exactly once (claimed by a conditional update)."""

    __tablename__ = "quiz_question"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "number"),
        sa.Index("ix_quiz_question_open", "status", "deadline"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="quiz_session.id")
    number: int
    question_id: int = Field(foreign_key="question.id")
    question_revision: int = Field(default=1)
    status: str = Field(default="pending", max_length=16)  # pending, open, revealed
    posted_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    deadline: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    revealed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    message_id: str = Field(default="", max_length=64)


class Attempt(SQLModel, table=True):
    """A graded answer: one per learner per quiz question (or daily challenge)."""

    __tablename__ = "attempt"
    __table_args__ = (
        sa.UniqueConstraint("quiz_question_id", "learner_id"),
        sa.UniqueConstraint("challenge_id", "learner_id", name="uq_attempt_challenge_learner"),
        sa.Index("ix_attempt_learner_time", "learner_id", "answered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id")
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id")
    channel: str = Field(default="", max_length=64)
    source: str = Field(default="quiz", max_length=16)
    quiz_question_id: int | None = Field(default=None, foreign_key="quiz_question.id")
    challenge_id: int | None = Field(default=None, foreign_key="daily_challenge.id")
    question_id: int = Field(foreign_key="question.id")
    question_revision: int = Field(default=1)
    choice: int
    correct: bool
    points: int = Field(default=0)
    latency_ms: int = Field(default=0)
    answered_at: datetime = Field(sa_column=_utc())
    final: bool = Field(default=False)


class ScoreDay(SQLModel, table=True):
    """Points per workspace x channel x learner x workspace-local day: the leaderboard
    rollup, updated in the same transaction that makes points final."""

    __tablename__ = "score_day"
    __table_args__ = (
        # A period's board (workspace, days) and a learner's own total, read from the
        # index alone: the all-time server board over 1M answers needs both.
        sa.Index(
            "ix_score_day_period", "workspace_id", "day", "learner_id", "points", "reached_at"
        ),
        sa.Index(
            "ix_score_day_learner", "workspace_id", "learner_id", "day", "points", "reached_at"
        ),
    )

    workspace_id: int = Field(foreign_key="workspace.id", primary_key=True)
    channel: str = Field(max_length=64, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    day: date = Field(primary_key=True)
    points: int = Field(default=0)
    correct: int = Field(default=0)
    answered: int = Field(default=0)
    reached_at: datetime = Field(sa_column=_utc())


class ChallengeSubscription(SQLModel, table=True):
    """A channel's daily challenge and weekly leaderboard; jobs are rebuilt from these rows.

    `post_time` and `weekly_time` are local wall-clock times ("HH:MM", or "HH:MM:SS")
    in `timezone`; `weekly_day` is 0 for Monday, None for no weekly post. `status` is
    active, paused (after repeated failures) or off (unsubscribed)."""

    __tablename__ = "challenge_subscription"
    __table_args__ = (sa.UniqueConstraint("platform", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    channel: str = Field(max_length=64)
    post_time: str = Field(max_length=8)
    timezone: str = Field(max_length=64)
    topic: str = Field(default="", max_length=64)
    close_after_minutes: int = Field(default=720)
    weekly_day: int | None = Field(default=None)
    weekly_time: str | None = Field(default=None, max_length=8)
    status: str = Field(default="active", max_length=16)
    failures: int = Field(default=0)
    last_error: str = Field(default="", max_length=300)
    last_error_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    created_at: datetime = Field(sa_column=_utc())
    updated_at: datetime = Field(sa_column=_utc())


class DailyChallenge(SQLModel, table=True):
    """One posted challenge. The unique (platform, channel, local_date) row is the claim:
    whichever process inserts it posts, so a channel gets one challenge per local day."""

    __tablename__ = "daily_challenge"
    __table_args__ = (
        sa.UniqueConstraint("platform", "channel", "local_date"),
        sa.Index("ix_daily_challenge_open", "status", "closes_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="challenge_subscription.id", index=True)
    platform: str = Field(max_length=16)
    workspace_id: int = Field(foreign_key="workspace.id")
    channel: str = Field(max_length=64)
    local_date: date
    score_day: date  # the workspace-local day its points and streaks count for
    question_id: int = Field(foreign_key="question.id")
    question_revision: int = Field(default=1)
    status: str = Field(default="open", max_length=16)  # open, revealed, failed
    posted_at: datetime = Field(sa_column=_utc())
    closes_at: datetime = Field(sa_column=_utc())
    revealed_at: datetime | None = Field(default=None, sa_column=_utc(nullable=True))
    message_id: str = Field(default="", max_length=64)


class ScheduleClaim(SQLModel, table=True):
    """Exactly-once for scheduled posts other than the challenge itself: a weekly board
    per channel per week, a reminder per learner per day. Inserting the row is the claim."""

    __tablename__ = "schedule_claim"

    kind: str = Field(primary_key=True, max_length=16)
    target: str = Field(primary_key=True, max_length=100)
    period: date = Field(primary_key=True)
    claimed_at: datetime = Field(sa_column=_utc())


class ChallengeStreak(SQLModel, table=True):
    """Consecutive challenge days per learner per workspace (workspace-local days);
    `freeze_week` is the Monday of the last week whose one automatic freeze was used."""

    __tablename__ = "challenge_streak"

    workspace_id: int = Field(foreign_key="workspace.id", primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    current: int = Field(default=0)
    best: int = Field(default=0)
    last_day: date | None = Field(default=None)
    freeze_week: date | None = Field(default=None)


QUIZ_SESSION = table(QuizSession)
QUIZ_QUESTION = table(QuizQuestion)
ATTEMPT = table(Attempt)
SCORE_DAY = table(ScoreDay)
SUBSCRIPTION = table(ChallengeSubscription)
CHALLENGE = table(DailyChallenge)
CLAIM = table(ScheduleClaim)
STREAK = table(ChallengeStreak)
