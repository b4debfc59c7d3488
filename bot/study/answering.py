"""Answering a card: show the back, pick a choice, type a code, rate it.

Every click carries the card, its review count and the moment it was shown, so
the grade is a compare-and-set on what the learner saw (see bot.study.grading).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from bot import strings
from bot.actions import MAX_STAMP, Action, ActionIdError
from bot.context import Context
from bot.errors import StaleClick, UserError
from bot.learners import LearnerProfile, ensure_learner, find_learner, fuzz_seed
from bot.reply import Reply
from bot.services import Services
from bot.srs import CardState, Grade, preview
from bot.study import cards
from bot.study.grading import GradeResult, record_grade, shown_instant
from bot.study.handlers import ephemeral, next_card, next_card_in
from bot.study.model import QuestionView, ReviewView
from bot.study.queue import load_card
from questions.answers import Verdict, check_code_answer, split_codes


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
        return cards.card_back(question, review, shown_at, previews, ephemeral=ephemeral(ctx))

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
        following = next_card_in(conn, services, ctx, learner) if then_next else None
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
                ephemeral=ephemeral(ctx),
                extra=_leech_note(result),
            )
        ]
    previews = _previews(learner, ctx, question_id, reps, shown_at, review.card if review else None)
    return [cards.choice_correct(question, review, shown_at, previews, ephemeral=ephemeral(ctx))]


def _code_verdict(question: QuestionView, typed: str) -> Verdict:
    """Right when the typed codes match the answer or any accepted alternative."""
    expected = [question.answer, *question.accepted]
    verdicts = [
        check_code_answer(
            typed, split_codes(answer, question.code_set), question.code_set, question.sequence
        )
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
                ephemeral=ephemeral(ctx),
                extra=_leech_note(result),
            )
        ]
    previews = _previews(learner, ctx, question_id, reps, shown_at, review.card if review else None)
    return [
        cards.code_correct(
            question, review, shown_at, previews, verdict.message, ephemeral=ephemeral(ctx)
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
            ephemeral=ephemeral(ctx),
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
        result.grade, result.interval, ephemeral=ephemeral(ctx), extra=_leech_note(result)
    )
    return [confirmation, following or await next_card(services, ctx)]
