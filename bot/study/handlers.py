"""/study, /undo, /leeches and the study buttons.

Reads (showing a card) run on a snapshot; grades run as one write transaction
each. Nothing about the session lives in memory: buttons carry the card, its
review count and the moment it was shown.
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy import Connection

from bot import strings
from bot.actions import Action, encode
from bot.context import Context
from bot.errors import StaleClick, UserError
from bot.grammar import ParsedCommand
from bot.learners import (
    LearnerProfile,
    ensure_learner,
    find_learner,
    find_workspace_id,
)
from bot.reply import Button, ButtonStyle, Reply, rows
from bot.services import Services
from bot.study import cards
from bot.study.grading import (
    count_leeches,
    list_leeches,
    undo_last,
    unsuspend,
)
from bot.study.model import QueueItem, StudyScope
from bot.study.queue import load_card, next_item, topic_filter
from bot.studyday import next_day_start
from questions.schema import EXAMS
from questions.topics import is_known, taxonomy
from storage.models import LEARNER, QUESTION

_LEECH_PAGE = 25


def ephemeral(ctx: Context) -> bool:
    """Study replies in a channel are for the learner alone."""
    return not ctx.is_dm


def _scope(conn: Connection, ctx: Context, learner: LearnerProfile) -> StudyScope:
    workspace_id = find_workspace_id(conn, ctx)
    return StudyScope(workspace_id, ctx.is_dm, learner.study_topic, learner.study_exam)


def next_card_in(
    conn: Connection, services: Services, ctx: Context, learner: LearnerProfile
) -> Reply:
    now = services.clock.now()
    scope = _scope(conn, ctx, learner)
    found = next_item(conn, learner, scope, now)
    if isinstance(found, QueueItem):
        return cards.card_front(
            found.question,
            found.review,
            now,
            new_today=found.new_today,
            new_limit=found.new_limit,
            ephemeral=ephemeral(ctx),
        )
    return cards.queue_empty(
        found, learner.tz, now, next_day_start(now, learner.tz), ephemeral=ephemeral(ctx)
    )


async def next_card(services: Services, ctx: Context) -> Reply:
    """The card to study now, or when there will be one."""

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        return next_card_in(conn, services, ctx, learner)

    return await services.database.read(work)


def check_topic(conn: Connection, topic: str) -> None:
    """A topic must be in the taxonomy (a parent covers its children) and have cards."""
    if not topic:
        return
    if not is_known(topic):
        roots = ", ".join(t.id for t in taxonomy().values() if t.parent is None)
        raise UserError(strings.UNKNOWN_TOPIC.format(topic=topic, topics=roots))
    found = conn.scalar(
        sa.select(QUESTION.c.id).where(topic_filter(topic), QUESTION.c.retired.is_(False)).limit(1)
    )
    if found is None:
        raise UserError(strings.EMPTY_TOPIC.format(topic=topic))


async def study_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/study [topic=...] [exam=...]: remember the selection, then show the next card."""
    topic = command.options.get("topic", "").strip().lower()
    exam = command.options.get("exam", "").strip().upper()
    if exam and exam not in EXAMS:
        raise UserError(strings.UNKNOWN_EXAM.format(exam=exam, exams=", ".join(EXAMS)))

    def work(conn: Connection) -> Reply:
        check_topic(conn, topic)
        learner = ensure_learner(conn, ctx, services.clock.now(), services.default_timezone)
        if (learner.study_topic, learner.study_exam) != (topic, exam):
            conn.execute(
                LEARNER.update()
                .where(LEARNER.c.id == learner.id)
                .values(study_topic=topic, study_exam=exam)
            )
            learner = replace(learner, study_topic=topic, study_exam=exam)
        return next_card_in(conn, services, ctx, learner)

    return [await services.database.write(work)]


async def next_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """The "Next card" button."""
    return [await next_card(services, ctx)]


async def undo_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/undo: revert the last grade and show that card again."""
    now = services.clock.now()

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        if learner.id is None:
            raise UserError(strings.UNDO_NOTHING)
        undone = undo_last(conn, learner.id, now)
        loaded = load_card(conn, learner.id, undone.question_id)
        if loaded is None:
            return Reply(body=strings.UNDONE.format(grade=undone.grade.label), ephemeral=True)
        question, review = loaded
        front = cards.card_front(
            question,
            review,
            now,
            new_today=0,
            new_limit=learner.new_per_day,
            ephemeral=ephemeral(ctx),
        )
        lead = strings.UNDONE.format(grade=undone.grade.label)
        return replace(front, body=lead + "\n\n" + front.body)

    return [await services.database.write(work)]


async def leeches_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/leeches: suspended cards with an Unsuspend button each."""

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        if learner.id is None:
            return Reply(body=strings.LEECHES_NONE, ephemeral=ephemeral(ctx))
        leeches = list_leeches(conn, learner.id, _LEECH_PAGE)
        if not leeches:
            return Reply(body=strings.LEECHES_NONE, ephemeral=ephemeral(ctx))
        total = count_leeches(conn, learner.id)
        lines = [
            f"{number}. {leech.prompt} ({leech.lapses} lapses)"
            for number, leech in enumerate(leeches, start=1)
        ]
        if total > len(leeches):
            lines.append(strings.LEECHES_MORE.format(more=total - len(leeches)))
        buttons = rows(
            *(
                Button(
                    strings.UNSUSPEND.format(number=number),
                    encode(cards.UNSUSPEND, leech.question_id),
                    ButtonStyle.SECONDARY,
                )
                for number, leech in enumerate(leeches, start=1)
            )
        )
        return Reply(
            title=strings.LEECHES_TITLE,
            body="\n".join(lines),
            buttons=buttons,
            ephemeral=ephemeral(ctx),
        )

    return [await services.database.read(work)]


async def unsuspend_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """The Unsuspend button of /leeches."""
    question_id = action.int_arg(0)

    def work(conn: Connection) -> str:
        learner = find_learner(conn, ctx, services.default_timezone)
        if learner.id is None:
            raise StaleClick(strings.NOT_SUSPENDED)
        return unsuspend(conn, learner.id, question_id)

    prompt = await services.database.write(work)
    return [Reply(body=strings.UNSUSPENDED.format(prompt=prompt), ephemeral=ephemeral(ctx))]
