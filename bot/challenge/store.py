"""The daily challenge's SQL: subscriptions and challenges, each step over one Connection.

A challenge is claimed by inserting its (platform, channel, local date) row under a
unique constraint; only the caller whose insert won posts it. A reveal is claimed by
the conditional update open -> revealed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.schedule.times import local_instant, stored_clock
from bot.study.queue import topic_filter
from storage.models import CHALLENGE, QUESTION, SUBSCRIPTION
from storage.upsert import insert_ignore

QUIZ_KINDS = ("mcq", "true_false")
NO_REPEAT_DAYS = 90
ACTIVE, PAUSED, OFF = "active", "paused", "off"


@dataclass(frozen=True)
class Subscription:
    """A channel's subscription, with its times parsed."""

    id: int
    platform: str
    workspace_id: int
    channel: str
    post_time: time
    timezone: str
    topic: str
    close_after_minutes: int
    weekly_day: int | None
    weekly_time: time | None
    status: str
    failures: int
    last_error: str
    last_error_at: datetime | None
    updated_at: datetime

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def post_instant(self, day: date) -> datetime:
        """When the post for local date `day` is due."""
        return local_instant(day, self.post_time, self.zone)

    def closes_at(self, day: date, posted_at: datetime) -> datetime:
        """close-after from the post, or the next local date's post, whichever is first."""
        return min(
            posted_at + timedelta(minutes=self.close_after_minutes),
            self.post_instant(day + timedelta(days=1)),
        )


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=int(row.id),
        platform=str(row.platform),
        workspace_id=int(row.workspace_id),
        channel=str(row.channel),
        post_time=stored_clock(row.post_time),
        timezone=str(row.timezone),
        topic=str(row.topic),
        close_after_minutes=int(row.close_after_minutes),
        weekly_day=None if row.weekly_day is None else int(row.weekly_day),
        weekly_time=None if row.weekly_time is None else stored_clock(row.weekly_time),
        status=str(row.status),
        failures=int(row.failures),
        last_error=str(row.last_error),
        last_error_at=row.last_error_at,
        updated_at=row.updated_at,
    )


def subscription_for(conn: Connection, platform: str, channel: str) -> Subscription | None:
    row = conn.execute(
        sa.select(SUBSCRIPTION).where(
            SUBSCRIPTION.c.platform == platform, SUBSCRIPTION.c.channel == channel
        )
    ).first()
    return _subscription(row) if row is not None else None


def subscription_by_id(conn: Connection, subscription_id: int) -> Subscription | None:
    row = conn.execute(sa.select(SUBSCRIPTION).where(SUBSCRIPTION.c.id == subscription_id)).first()
    return _subscription(row) if row is not None else None


def active_subscriptions(conn: Connection) -> list[Subscription]:
    rows = conn.execute(
        sa.select(SUBSCRIPTION).where(SUBSCRIPTION.c.status == ACTIVE).order_by(SUBSCRIPTION.c.id)
    )
    return [_subscription(row) for row in rows]


def fingerprint(conn: Connection) -> tuple[int, datetime | None]:
    """Changes whenever any subscription is added or changed (by any process)."""
    row = conn.execute(
        sa.select(sa.func.count(), sa.func.max(SUBSCRIPTION.c.updated_at)).select_from(SUBSCRIPTION)
    ).one()
    return int(row[0]), row[1]


def save_subscription(conn: Connection, values: dict[str, Any], now: datetime) -> None:
    """Insert or replace the channel's subscription (active again, failures cleared)."""
    current = conn.execute(
        sa.select(SUBSCRIPTION.c.id)
        .where(
            SUBSCRIPTION.c.platform == values["platform"],
            SUBSCRIPTION.c.channel == values["channel"],
        )
        .with_for_update()
    ).first()
    changes = {
        **values,
        "status": ACTIVE,
        "failures": 0,
        "last_error": "",
        "last_error_at": None,
        "updated_at": now,
    }
    if current is None:
        conn.execute(SUBSCRIPTION.insert().values(**changes, created_at=now))
    else:
        conn.execute(SUBSCRIPTION.update().where(SUBSCRIPTION.c.id == current.id).values(**changes))


def set_status(conn: Connection, subscription_id: int, status: str, now: datetime) -> None:
    conn.execute(
        SUBSCRIPTION.update()
        .where(SUBSCRIPTION.c.id == subscription_id)
        .values(status=status, updated_at=now)
    )


def record_failure(
    conn: Connection, subscription_id: int, error: str, now: datetime, pause_after: int
) -> bool:
    """Count a failed post; True when this failure paused the subscription."""
    row = conn.execute(
        sa.select(SUBSCRIPTION.c.failures, SUBSCRIPTION.c.status)
        .where(SUBSCRIPTION.c.id == subscription_id)
        .with_for_update()
    ).first()
    if row is None:
        return False
    failures = int(row.failures) + 1
    pause = failures >= pause_after and row.status == ACTIVE
    values: dict[str, Any] = {
        "failures": failures,
        "last_error": error[:300],
        "last_error_at": now,
    }
    if pause:
        values.update(status=PAUSED, updated_at=now)
    conn.execute(SUBSCRIPTION.update().where(SUBSCRIPTION.c.id == subscription_id).values(values))
    return pause


def record_success(conn: Connection, subscription_id: int) -> None:
    conn.execute(
        SUBSCRIPTION.update()
        .where(SUBSCRIPTION.c.id == subscription_id, SUBSCRIPTION.c.failures != 0)
        .values(failures=0)
    )


def has_quiz_items(conn: Connection, workspace_id: int, topic: str) -> bool:
    query = sa.select(QUESTION.c.id).where(*_pool(workspace_id, topic)).limit(1)
    return conn.scalar(query) is not None


def _pool(workspace_id: int, topic: str) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = [
        QUESTION.c.retired.is_(False),
        QUESTION.c.kind.in_(QUIZ_KINDS),
        sa.func.coalesce(QUESTION.c.workspace_id, 0).in_([0, workspace_id]),
    ]
    if topic:
        where.append(topic_filter(topic))
    return where


def pick_question(conn: Connection, sub: Subscription, local_date: date) -> tuple[int, int] | None:
    """(question id, revision): one the channel has not had in 90 days, at random; when
    the pool is used up, the one it had longest ago."""
    recent = sa.select(CHALLENGE.c.question_id).where(
        CHALLENGE.c.platform == sub.platform,
        CHALLENGE.c.channel == sub.channel,
        CHALLENGE.c.local_date > local_date - timedelta(days=NO_REPEAT_DAYS),
    )
    pool = _pool(sub.workspace_id, sub.topic)
    fresh = conn.execute(
        sa.select(QUESTION.c.id, QUESTION.c.revision)
        .where(*pool, QUESTION.c.id.not_in(recent))
        .order_by(sa.func.random())
        .limit(1)
    ).first()
    if fresh is not None:
        return int(fresh.id), int(fresh.revision)
    last_seen = (
        sa.select(CHALLENGE.c.question_id, sa.func.max(CHALLENGE.c.local_date).label("seen"))
        .where(CHALLENGE.c.platform == sub.platform, CHALLENGE.c.channel == sub.channel)
        .group_by(CHALLENGE.c.question_id)
        .subquery()
    )
    oldest = conn.execute(
        sa.select(QUESTION.c.id, QUESTION.c.revision)
        .select_from(QUESTION.outerjoin(last_seen, last_seen.c.question_id == QUESTION.c.id))
        .where(*pool)
        .order_by(last_seen.c.seen.asc().nulls_first(), QUESTION.c.id)
        .limit(1)
    ).first()
    return (int(oldest.id), int(oldest.revision)) if oldest is not None else None


def claim(
    conn: Connection,
    sub: Subscription,
    local_date: date,
    score_day: date,
    question: tuple[int, int],
    now: datetime,
    closes_at: datetime,
) -> int | None:
    """Insert the channel's challenge for `local_date`; its id, or None if one exists."""
    inserted = insert_ignore(
        conn,
        CHALLENGE,
        {
            "subscription_id": sub.id,
            "platform": sub.platform,
            "workspace_id": sub.workspace_id,
            "channel": sub.channel,
            "local_date": local_date,
            "score_day": score_day,
            "question_id": question[0],
            "question_revision": question[1],
            "status": "open",
            "posted_at": now,
            "closes_at": closes_at,
            "message_id": "",
        },
    )
    if not inserted:
        return None
    return int(
        conn.execute(
            sa.select(CHALLENGE.c.id).where(
                CHALLENGE.c.platform == sub.platform,
                CHALLENGE.c.channel == sub.channel,
                CHALLENGE.c.local_date == local_date,
            )
        ).scalar_one()
    )


def exists_for(conn: Connection, platform: str, channel: str, local_date: date) -> bool:
    found = conn.scalar(
        sa.select(CHALLENGE.c.id).where(
            CHALLENGE.c.platform == platform,
            CHALLENGE.c.channel == channel,
            CHALLENGE.c.local_date == local_date,
        )
    )
    return found is not None


@dataclass(frozen=True)
class ChallengeItem:
    """A challenge as posted: its question and its window."""

    id: int
    subscription_id: int
    platform: str
    workspace_id: int
    channel: str
    local_date: date
    score_day: date
    question_id: int
    revision: int
    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: str
    explanation: str
    reference: str
    status: str
    posted_at: datetime
    closes_at: datetime
    message_id: str
    timezone: str

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

    def is_open(self, now: datetime) -> bool:
        return self.status == "open" and now < self.closes_at


_ITEM = (
    sa.select(
        CHALLENGE.c.id,
        CHALLENGE.c.subscription_id,
        CHALLENGE.c.platform,
        CHALLENGE.c.workspace_id,
        CHALLENGE.c.channel,
        CHALLENGE.c.local_date,
        CHALLENGE.c.score_day,
        CHALLENGE.c.question_id,
        CHALLENGE.c.question_revision.label("revision"),
        QUESTION.c.kind,
        QUESTION.c.prompt,
        QUESTION.c.choices_json,
        QUESTION.c.answer,
        QUESTION.c.explanation,
        QUESTION.c.reference,
        CHALLENGE.c.status,
        CHALLENGE.c.posted_at,
        CHALLENGE.c.closes_at,
        CHALLENGE.c.message_id,
        SUBSCRIPTION.c.timezone,
    )
    .select_from(
        CHALLENGE.join(QUESTION, QUESTION.c.id == CHALLENGE.c.question_id).join(
            SUBSCRIPTION, SUBSCRIPTION.c.id == CHALLENGE.c.subscription_id
        )
    )
    .where(CHALLENGE.c.id == sa.bindparam("challenge", type_=sa.Integer))
)


def load_challenge(conn: Connection, challenge_id: int) -> ChallengeItem | None:
    row = conn.execute(_ITEM, {"challenge": challenge_id}).first()
    if row is None:
        return None
    data = dict(row._mapping)
    data["choices"] = tuple(json.loads(data.pop("choices_json")))
    return ChallengeItem(**data)


def due_reveals(
    conn: Connection, now: datetime, platform: str = "", channel: str = ""
) -> list[int]:
    """Open challenges whose window has closed (on one platform, or in one channel)."""
    query = sa.select(CHALLENGE.c.id).where(
        CHALLENGE.c.status == "open", CHALLENGE.c.closes_at <= now
    )
    if platform:
        query = query.where(CHALLENGE.c.platform == platform)
    if channel:
        query = query.where(CHALLENGE.c.channel == channel)
    return [int(row.id) for row in conn.execute(query.order_by(CHALLENGE.c.closes_at))]


def claim_reveal(conn: Connection, challenge_id: int, now: datetime) -> bool:
    result = conn.execute(
        CHALLENGE.update()
        .where(CHALLENGE.c.id == challenge_id, CHALLENGE.c.status == "open")
        .values(status="revealed", revealed_at=now)
    )
    return result.rowcount == 1


def set_message(conn: Connection, challenge_id: int, message_id: str) -> None:
    conn.execute(
        CHALLENGE.update().where(CHALLENGE.c.id == challenge_id).values(message_id=message_id[:64])
    )


def mark_failed(conn: Connection, challenge_id: int) -> None:
    """A challenge nobody could see is never revealed or scored."""
    conn.execute(
        CHALLENGE.update()
        .where(CHALLENGE.c.id == challenge_id, CHALLENGE.c.status == "open")
        .values(status="failed")
    )


def last_post(conn: Connection, subscription_id: int) -> Any:
    return conn.execute(
        sa.select(CHALLENGE.c.posted_at, CHALLENGE.c.status, CHALLENGE.c.local_date)
        .where(CHALLENGE.c.subscription_id == subscription_id)
        .order_by(CHALLENGE.c.posted_at.desc())
        .limit(1)
    ).first()
