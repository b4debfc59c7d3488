"""/quiz, /quiz stop and the answer buttons."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import Connection

from bot.actions import Action, ActionIdError
from bot.config_cmd import quiz_defaults
from bot.context import Context, Role
from bot.errors import StaleClick, UserError
from bot.grammar import ParsedCommand
from bot.learners import ensure_learner, ensure_workspace
from bot.quiz import attempts, flow, render, store, strings
from bot.reply import Reply
from bot.services import Services
from bot.strings import UNKNOWN_EXAM
from bot.study.handlers import check_topic
from questions.schema import EXAMS
from storage.models import LEARNER

_WHOLE = re.compile(r"^[0-9]{1,4}$")


def _number(raw: str | None, default: int, low: int, high: int, message: str) -> int:
    if raw is None:
        return default
    text = raw.strip()
    if not _WHOLE.match(text) or not low <= int(text) <= high:
        raise UserError(message.format(value=text[:20]))
    return int(text)


_RENAME = (
    LEARNER.update()
    .where(LEARNER.c.id == sa.bindparam("b_id"), LEARNER.c.display_name != sa.bindparam("b_name"))
    .values(display_name=sa.bindparam("b_name"))
)


def remember_name(conn: Connection, learner_id: int, ctx: Context) -> None:
    """Leaderboards show the name we stored, so keep it current (no member cache needed)."""
    conn.execute(_RENAME, {"b_id": learner_id, "b_name": ctx.display_name[:100]})


async def quiz_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/quiz [topic=] [exam=] [count=10] [seconds=30], or /quiz stop."""
    if command.args:
        if command.args[0].lower() != "stop":
            raise UserError(strings.BAD_SUBCOMMAND.format(word=command.args[0]))
        return await _stop(services, ctx)
    options = command.options
    # Validate what was typed first; the workspace's defaults fill in the rest below.
    given_count = _number(options.get("count"), 0, 1, 50, strings.BAD_COUNT) or None
    given_seconds = _number(options.get("seconds"), 0, 10, 300, strings.BAD_SECONDS) or None
    topic = options.get("topic", "").strip().lower()
    exam = options.get("exam", "").strip().upper()
    if exam and exam not in EXAMS:
        raise UserError(UNKNOWN_EXAM.format(exam=exam, exams=", ".join(EXAMS)))
    now = services.clock.now()

    def work(conn: Connection) -> list[Reply]:
        check_topic(conn, topic)
        learner = ensure_learner(conn, ctx, now, services.default_timezone)
        assert learner.id is not None
        remember_name(conn, learner.id, ctx)
        workspace_id = None if ctx.is_dm else ensure_workspace(conn, ctx, now)
        default_count, default_seconds = quiz_defaults(conn, workspace_id)
        count = given_count or default_count
        seconds = given_seconds or default_seconds
        if store.running_session(conn, ctx.platform, ctx.channel) is not None:
            raise UserError(strings.ALREADY_RUNNING)
        picked = store.pick_questions(conn, workspace_id, topic, exam, count)
        if not picked:
            raise UserError(strings.NO_ITEMS)
        session_id = store.create_session(
            conn,
            platform=ctx.platform,
            workspace_id=workspace_id,
            channel=ctx.channel,
            is_dm=ctx.is_dm,
            starter_learner_id=learner.id,
            topic=topic,
            exam=exam,
            seconds=seconds,
            questions=picked,
            now=now,
        )
        if session_id is None:  # another process started one a moment ago
            raise UserError(strings.ALREADY_RUNNING)
        store.open_question(conn, session_id, 1, now, None if ctx.is_dm else seconds)
        first = store.item_by_number(conn, session_id, 1)
        assert first is not None
        replies = [render.question(first)]
        if len(picked) < count:
            replies.insert(0, Reply(body=strings.FEWER_ITEMS.format(found=len(picked))))
        return replies

    return await services.database.write(work)


async def _stop(services: Services, ctx: Context) -> list[Reply]:
    now = services.clock.now()

    def work(conn: Connection) -> list[Reply]:
        session = store.running_session(conn, ctx.platform, ctx.channel)
        if session is None:
            raise UserError(strings.NOT_RUNNING)
        learner = ensure_learner(conn, ctx, now, services.default_timezone)
        if learner.id != session.starter_learner_id and ctx.role < Role.MODERATOR:
            raise UserError(strings.NOT_YOURS)
        store.finish_session(conn, int(session.id), "stopped", now)
        replies: list[Reply] = []
        current = store.open_item(conn, int(session.id))
        if current is not None:
            revealed = flow.reveal(conn, current.quiz_question_id, now, services.default_timezone)
            if revealed is not None:
                replies.append(render.reveal(revealed.item, revealed.answers))
        table = attempts.standings(conn, int(session.id))
        replies.append(render.final_standings(table, stopped_by=ctx.display_name))
        return replies

    return await services.database.write(work)


async def answer_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """A letter button: record (or change) the answer; in a DM, reveal and go on."""
    quiz_question_id, choice = action.int_arg(0), action.int_arg(1)
    now = services.clock.now()

    def work(conn: Connection) -> list[Reply]:
        item = store.load_item(conn, quiz_question_id)
        if item is None:
            raise ActionIdError("No such quiz question.")
        if not 0 <= choice < len(item.labels):
            raise ActionIdError(f"Choice {choice} is out of range.")
        if item.status != "open" or (item.deadline is not None and now >= item.deadline):
            raise StaleClick(strings.CLOSED)
        learner = ensure_learner(conn, ctx, now, services.default_timezone)
        assert learner.id is not None
        remember_name(conn, learner.id, ctx)
        changed = attempts.record_answer(conn, item, learner.id, choice, now)
        if not item.is_dm:
            text = strings.YOUR_ANSWER if changed else strings.YOUR_ANSWER_SAME
            return [Reply(body=text.format(choice=item.choice_text(choice)), ephemeral=True)]
        revealed = flow.reveal(conn, quiz_question_id, now, services.default_timezone)
        if revealed is None:
            raise StaleClick(strings.CLOSED)
        return _dm_after_answer(revealed, choice)

    return await services.database.write(work)


def _dm_after_answer(revealed: flow.Revealed, choice: int) -> list[Reply]:
    item = revealed.item
    mine = revealed.answers[0] if revealed.answers else None
    if mine is not None and mine.correct:
        lead = strings.YOUR_RESULT_RIGHT.format(choice=item.choice_text(choice), points=mine.points)
    else:
        lead = strings.YOUR_RESULT_WRONG.format(
            chosen=item.choice_text(choice), choice=item.choice_text(item.correct_choice)
        )
    body = lead + ("\n\n" + item.explanation if item.explanation else "")
    replies = [
        Reply(title=strings.REVEAL_TITLE.format(number=item.number, count=item.count), body=body)
    ]
    if revealed.next_item is not None:
        replies.append(render.question(revealed.next_item))
    else:
        replies.append(render.dm_summary(revealed.standings or [], item.count))
    return replies
