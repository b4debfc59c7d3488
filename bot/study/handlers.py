"""/study, /undo, /leeches and the study buttons.

Reads (showing a card) run on a snapshot; grades run as one write transaction
each. Nothing about the session lives in memory: buttons carry the card, its
review count and the moment it was shown.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Connection

from bot import strings
from bot.actions import MAX_STAMP, Action, ActionIdError, encode
from bot.context import Context
from bot.errors import StaleClick, UserError
from bot.grammar import ParsedCommand
from bot.learners import (
    LearnerProfile,
    ensure_learner,
    find_learner,
    find_workspace_id,
    fuzz_seed,
)
from bot.reply import Button, ButtonStyle, Reply, rows
from bot.services import Services
from bot.srs import CardState, Grade, preview
from bot.study import cards
from bot.study.grading import (
    GradeResult,
    count_leeches,
    list_leeches,
    record_grade,
    shown_instant,
    undo_last,
    unsuspend,
)
from bot.study.model import QuestionView, QueueItem, ReviewView, StudyScope
from bot.study.queue import load_card, next_item, topic_filter
from bot.studyday import next_day_start
from questions.answers import Verdict, check_code_answer, split_codes
from questions.schema import EXAMS
from questions.topics import is_known, taxonomy
from storage.models import LEARNER, QUESTION

_LEECH_PAGE = 25


def _ephemeral(ctx: Context) -> bool:
    return not ctx.is_dm


def _scope(conn: Connection, ctx: Context, learner: LearnerProfile) -> StudyScope:
    workspace_id = find_workspace_id(conn, ctx)
    return StudyScope(workspace_id, ctx.is_dm, learner.study_topic, learner.study_exam)


def _next_card_in(
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
            ephemeral=_ephemeral(ctx),
        )
    return cards.queue_empty(
        found, learner.tz, now, next_day_start(now, learner.tz), ephemeral=_ephemeral(ctx)
    )


async def next_card(services: Services, ctx: Context) -> Reply:
    """The card to study now, or when there will be one."""

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        return _next_card_in(conn, services, ctx, learner)

    return await services.database.read(work)


def _check_topic(conn: Connection, topic: str) -> None:
    """A topic must be in the taxonomy (a parent covers its children) and have cards."""
    if not topic:
        return
    if not is_known(topic):
        roots = ", ".join(t.id for t in taxonomy().values() if t.parent is None)
        raise UserError(strings.UNKNOWN_TOPIC.format(topic=topic, topics=roots))
    found = conn.scalar(
        sa.select(QUESTION.c.id)
        .where(topic_filter(topic), QUESTION.c.retired.is_(False))
        .limit(1)
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
        _check_topic(conn, topic)
        learner = ensure_learner(conn, ctx, services.clock.now(), services.default_timezone)
        if (learner.study_topic, learner.study_exam) != (topic, exam):
            conn.execute(
                LEARNER.update()
                .where(LEARNER.c.id == learner.id)
                .values(study_topic=topic, study_exam=exam)
            )
            learner = replace(learner, study_topic=topic, study_exam=exam)
        return _next_card_in(conn, services, ctx, learner)

    return [await services.database.write(work)]


async def next_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """The "Next card" button."""
    return [await next_card(services, ctx)]


def _card_args(action: Action) -> tuple[int, int, int]:
    """Question id, review count and shown-at stamp."""
    return action.int_arg(0), action.int_arg(1), action.int_arg(2, MAX_STAMP)


async def show_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """ "Show answer": the back of a flashcard with interval-labelled rating buttons."""
    question_id, reps, stamp = _card_args(action)
    now = services.clock.now()
    shown_at = shown_instant(stamp, now)

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        loaded = load_card(conn, learner.id, question_id)
        if loaded is None:
            raise UserError(strings.RETIRED)
        question, review = loaded
        if (review.reps if review else 0) != reps:
            raise StaleClick(strings.STALE)
        before = review.card if review else None
        previews = _previews(learner, ctx, question_id, reps, shown_at, before)
        return cards.card_back(question, review, shown_at, previews, ephemeral=_ephemeral(ctx))

    return [await services.database.read(work)]


def _previews(
    learner: LearnerProfile,
    ctx: Context,
    question_id: int,
    reps: int,
    shown_at: datetime,
    before: CardState | None,
) -> dict[Grade, timedelta]:
    return preview(
        before or CardState.new(shown_at),
        shown_at,
        retention=learner.retention,
        seed=fuzz_seed(ctx),
        question_id=question_id,
        reps=reps,
    )


async def _grade(
    services: Services,
    ctx: Context,
    question_id: int,
    reps: int,
    shown_at: datetime,
    grade: Grade,
    *,
    then_next: bool = False,
) -> tuple[GradeResult, Reply | None]:
    """Record one grade as one transaction; with `then_next`, the next card is chosen in
    the same transaction (one round trip for the common path)."""
    now = services.clock.now()

    def work(conn: Connection) -> tuple[GradeResult, Reply | None]:
        learner = ensure_learner(conn, ctx, now, services.default_timezone)
        result = record_grade(
            conn, learner, fuzz_seed(ctx), question_id, reps, shown_at, grade, now
        )
        following = _next_card_in(conn, services, ctx, learner) if then_next else None
        return result, following

    return await services.database.write(work)


def _leech_note(result: GradeResult) -> str:
    return strings.LEECH.format(lapses=result.lapses) if result.became_leech else ""


async def _answering(
    services: Services, ctx: Context, question_id: int, reps: int
) -> tuple[LearnerProfile, QuestionView, ReviewView | None]:
    """The card being answered, refused when it was graded since it was shown."""

    def load(conn: Connection) -> tuple[LearnerProfile, QuestionView, ReviewView | None]:
        learner = find_learner(conn, ctx, services.default_timezone)
        loaded = load_card(conn, learner.id, question_id)
        if loaded is None:
            raise UserError(strings.RETIRED)
        return learner, loaded[0], loaded[1]

    learner, question, review = await services.database.read(load)
    if (review.reps if review else 0) != reps:
        raise StaleClick(strings.STALE)
    return learner, question, review


async def pick_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """A choice on an mcq or true/false card: wrong grades Again at once."""
    question_id, reps, stamp = _card_args(action)
    choice = action.int_arg(3)
    shown_at = shown_instant(stamp, services.clock.now())
    learner, question, review = await _answering(services, ctx, question_id, reps)
    if not 0 <= choice < len(question.choice_labels):
        raise ActionIdError(f"Choice {choice} is out of range.")
    if choice != question.correct_choice:
        result, _ = await _grade(services, ctx, question_id, reps, shown_at, Grade.AGAIN)
        return [
            cards.choice_wrong(
                question,
                choice,
                result.interval,
                ephemeral=_ephemeral(ctx),
                extra=_leech_note(result),
            )
        ]
    previews = _previews(learner, ctx, question_id, reps, shown_at, review.card if review else None)
    return [cards.choice_correct(question, review, shown_at, previews, ephemeral=_ephemeral(ctx))]


def _code_verdict(question: QuestionView, typed: str) -> Verdict:
    """Right when the typed codes match the answer or any accepted alternative."""
    expected = [question.answer, *question.accepted]
    verdicts = [
        check_code_answer(typed, split_codes(answer), question.code_set, question.sequence)
        for answer in expected
    ]
    return next((verdict for verdict in verdicts if verdict.correct), verdicts[0])


async def code_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """A typed answer to a code_entry card, checked the way a code book would."""
    question_id, reps, stamp = _card_args(action)
    if not action.text.strip():
        raise UserError(strings.CODE_EMPTY)
    shown_at = shown_instant(stamp, services.clock.now())
    learner, question, review = await _answering(services, ctx, question_id, reps)
    verdict = _code_verdict(question, action.text)
    if not verdict.correct:
        result, _ = await _grade(services, ctx, question_id, reps, shown_at, Grade.AGAIN)
        return [
            cards.code_wrong(
                question,
                verdict.message,
                result.interval,
                ephemeral=_ephemeral(ctx),
                extra=_leech_note(result),
            )
        ]
    previews = _previews(learner, ctx, question_id, reps, shown_at, review.card if review else None)
    return [
        cards.code_correct(
            question, review, shown_at, previews, verdict.message, ephemeral=_ephemeral(ctx)
        )
    ]


async def skip_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """ "I don't know" on a code_entry card: grade Again and show the answer."""
    question_id, reps, stamp = _card_args(action)
    shown_at = shown_instant(stamp, services.clock.now())
    _, question, _ = await _answering(services, ctx, question_id, reps)
    result, _ = await _grade(services, ctx, question_id, reps, shown_at, Grade.AGAIN)
    return [
        cards.code_wrong(
            question,
            strings.DONT_KNOW + ".",
            result.interval,
            ephemeral=_ephemeral(ctx),
            extra=_leech_note(result),
        )
    ]


async def rate_action(services: Services, ctx: Context, action: Action) -> list[Reply]:
    """A rating button: grade once, confirm with the interval, show the next card."""
    question_id, reps, stamp = _card_args(action)
    try:
        grade = Grade(action.int_arg(3))
    except ValueError:
        raise ActionIdError("Unknown grade.") from None
    shown_at = shown_instant(stamp, services.clock.now())
    result, following = await _grade(
        services, ctx, question_id, reps, shown_at, grade, then_next=True
    )
    confirmation = cards.graded(
        result.grade, result.interval, ephemeral=_ephemeral(ctx), extra=_leech_note(result)
    )
    return [confirmation, following or await next_card(services, ctx)]


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
            ephemeral=_ephemeral(ctx),
        )
        lead = strings.UNDONE.format(grade=undone.grade.label)
        return replace(front, body=lead + "\n\n" + front.body)

    return [await services.database.write(work)]


async def leeches_command(services: Services, ctx: Context, command: ParsedCommand) -> list[Reply]:
    """/leeches: suspended cards with an Unsuspend button each."""

    def work(conn: Connection) -> Reply:
        learner = find_learner(conn, ctx, services.default_timezone)
        if learner.id is None:
            return Reply(body=strings.LEECHES_NONE, ephemeral=_ephemeral(ctx))
        leeches = list_leeches(conn, learner.id, _LEECH_PAGE)
        if not leeches:
            return Reply(body=strings.LEECHES_NONE, ephemeral=_ephemeral(ctx))
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
            ephemeral=_ephemeral(ctx),
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
    return [Reply(body=strings.UNSUSPENDED.format(prompt=prompt), ephemeral=_ephemeral(ctx))]
