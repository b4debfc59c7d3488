"""/stats and its drill buttons: a learner's accuracy by topic, reviews due, streak,
and one button per weakest topic that starts studying it.

A drill button carries its topic in its id ("st.drill:<topic>"); a topic that would
not fit in an id (a ":" or over the 100-character limit) travels as "~" plus a stable
digest and is looked up among the bank's topics when pressed.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.actions import Action, ActionIdError, encode
from bot.context import Context
from bot.errors import StaleClick
from bot.grammar import ParsedCommand
from bot.learners import LearnerProfile, ensure_learner, find_learner
from bot.reply import Button, ButtonStyle, Field, Reply, rows
from bot.scores import progress, strings
from bot.services import Services
from bot.study.handlers import check_topic, ephemeral, next_card_in
from questions.topics import taxonomy
from storage.models import LEARNER, QUESTION

DRILL = "st.drill"
_DIGEST = "~"
_LABEL_MAX = 80  # Discord's button label limit


def topic_title(topic: str) -> str:
    known = taxonomy().get(topic)
    return known.title if known is not None else topic


def _digest(topic: str) -> str:
    return _DIGEST + hashlib.sha256(topic.encode()).hexdigest()[:20]


def drill_id(topic: str) -> str:
    """The drill button's id: the topic itself when it fits, else its digest."""
    try:
        return encode(DRILL, topic)
    except ActionIdError:
        return encode(DRILL, _digest(topic))


def drill_topic(conn: Connection, action: Action) -> str:
    """The topic a drill button names; StaleClick when it is gone from the bank."""
    if not action.args or not action.args[0]:
        raise ActionIdError(f"{DRILL} without a topic")
    arg = ":".join(action.args)  # a topic with ":" never travels raw, but be safe
    if not arg.startswith(_DIGEST):
        return arg
    for topic in conn.scalars(sa.select(QUESTION.c.topic).distinct()):
        if _digest(str(topic)) == arg:
            return str(topic)
    raise StaleClick(strings.STATS_DRILL_GONE)


def _accuracy_lines(topics: list[progress.TopicAccuracy]) -> list[str]:
    if not topics:
        return [strings.STATS_ACCURACY_NONE.format(days=progress.ACCURACY_DAYS)]
    return [strings.STATS_ACCURACY.format(days=progress.ACCURACY_DAYS)] + [
        strings.STATS_ACCURACY_LINE.format(
            topic=topic_title(t.topic), correct=t.correct, answered=t.answered, percent=t.percent
        )
        for t in topics
    ]


def _label(topic: str) -> str:
    label = strings.STATS_DRILL.format(title=topic_title(topic))
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


def stats_reply(
    topics: list[progress.TopicAccuracy], due: int, streak: int, *, ephemeral: bool
) -> Reply:
    weak = progress.weakest(topics)
    lines = [*_accuracy_lines(topics), ""]
    if weak:
        lines.append(strings.STATS_WEAKEST.format(minimum=progress.WEAK_MINIMUM))
        lines += [
            f"{number}. {topic_title(t.topic)}: {t.percent}%"
            for number, t in enumerate(weak, start=1)
        ]
    else:
        lines.append(strings.STATS_WEAKEST_NONE.format(minimum=progress.WEAK_MINIMUM))
    return Reply(
        title=strings.STATS_TITLE,
        body="\n".join(lines),
        fields=(
            Field(strings.STATS_DUE, str(due)),
            Field(strings.STATS_STREAK, strings.STATS_STREAK_DAYS.format(days=streak)),
        ),
        buttons=rows(
            *(Button(_label(t.topic), drill_id(t.topic), ButtonStyle.PRIMARY) for t in weak)
        ),
        ephemeral=ephemeral,
    )


def _stats(conn: Connection, learner: LearnerProfile, now: datetime, private: bool) -> Reply:
    if learner.id is None:
        return stats_reply([], 0, 0, ephemeral=private)
    return stats_reply(
        progress.accuracy_by_topic(conn, learner.id, now),
        progress.due_today(conn, learner.id, now, learner.tz),
        progress.streak(conn, learner.id, now, learner.tz),
        ephemeral=private,
    )


async def stats_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/stats: the caller's own progress, across every workspace and DM."""
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        return _stats(conn, learner, now, ephemeral(ctx))

    return [await services.database.read(work)]


async def drill_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """A weakest-topic button: study that topic from now on, as /study topic=... does,
    and show its next card."""

    def work(conn: Connection) -> Reply:
        topic = drill_topic(conn, action)
        check_topic(conn, topic)
        learner = ensure_learner(conn, ctx, services.clock.now(), services.default_timezone)
        if (learner.study_topic, learner.study_exam) != (topic, ""):
            conn.execute(
                LEARNER.update()
                .where(LEARNER.c.id == learner.id)
                .values(study_topic=topic, study_exam="")
            )
            learner = replace(learner, study_topic=topic, study_exam="")
        return next_card_in(conn, services, ctx, learner)

    return [await services.database.write(work)]
