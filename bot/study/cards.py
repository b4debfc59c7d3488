"""Replies that show cards: front, back with rating buttons, results, an empty queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import strings
from bot.actions import encode
from bot.reply import Button, ButtonStyle, Field, Reply, rows
from bot.srs import Grade, format_interval
from bot.study.model import QuestionView, QueueEmpty, ReviewView

SHOW = "st.show"
PICK = "st.pick"
RATE = "st.rate"
NEXT = "st.next"
UNSUSPEND = "st.unsuspend"
CODE = "st.code"
SKIP = "st.skip"

_GRADE_STYLES = {
    Grade.AGAIN: ButtonStyle.DANGER,
    Grade.HARD: ButtonStyle.SECONDARY,
    Grade.GOOD: ButtonStyle.SUCCESS,
    Grade.EASY: ButtonStyle.PRIMARY,
}


def epoch(instant: datetime) -> int:
    """Whole seconds: the shown-at stamp carried in button ids."""
    return int(instant.timestamp())


def _title(question: QuestionView) -> str:
    return f"{strings.KIND_TITLES.get(question.kind, question.kind)} · {question.topic}"


def _choices_body(question: QuestionView) -> str:
    if question.kind != "mcq":
        return question.prompt
    lines = [f"**{'ABCD'[i]}.** {choice}" for i, choice in enumerate(question.choices)]
    return question.prompt + "\n\n" + "\n".join(lines)


def _footer(review: ReviewView | None, new_today: int, new_limit: int) -> str:
    if review is None:
        return strings.NEW_FOOTER.format(done=new_today + 1, limit=new_limit)
    return strings.REVIEW_FOOTER.format(reps=review.reps)


def card_front(
    question: QuestionView,
    review: ReviewView | None,
    shown_at: datetime,
    *,
    new_today: int,
    new_limit: int,
    ephemeral: bool,
) -> Reply:
    """The question side: Show answer for flashcards, choice buttons otherwise."""
    reps = review.reps if review else 0
    stamp = epoch(shown_at)
    if question.kind in ("mcq", "true_false"):
        labels = ("A", "B", "C", "D") if question.kind == "mcq" else question.choice_labels
        buttons = rows(
            *(
                Button(label, encode(PICK, question.id, reps, stamp, index), ButtonStyle.PRIMARY)
                for index, label in enumerate(labels)
            )
        )
    elif question.kind == "code_entry":
        buttons = rows(
            Button(
                strings.TYPE_CODE,
                encode(CODE, question.id, reps, stamp),
                ButtonStyle.PRIMARY,
                input_label=strings.TYPE_CODE_LABEL,
            ),
            Button(strings.DONT_KNOW, encode(SKIP, question.id, reps, stamp)),
        )
    else:
        buttons = rows(
            Button(strings.SHOW_ANSWER, encode(SHOW, question.id, reps, stamp), ButtonStyle.PRIMARY)
        )
    body = _choices_body(question)
    if question.kind == "code_entry":
        body += "\n\n" + strings.TYPE_CODE_HINT
    return Reply(
        title=_title(question),
        body=body,
        buttons=buttons,
        footer=_footer(review, new_today, new_limit),
        ephemeral=ephemeral,
    )


def rating_buttons(
    question: QuestionView,
    reps: int,
    shown_at: datetime,
    previews: dict[Grade, timedelta],
    grades: tuple[Grade, ...] = tuple(Grade),
) -> tuple[tuple[Button, ...], ...]:
    """One button per grade, labelled with the interval it applies."""
    stamp = epoch(shown_at)
    return rows(
        *(
            Button(
                f"{grade.label} · {format_interval(previews[grade])}",
                encode(RATE, question.id, reps, stamp, int(grade)),
                _GRADE_STYLES[grade],
            )
            for grade in grades
        )
    )


def _explained(question: QuestionView, lead: str) -> tuple[str, tuple[Field, ...]]:
    body = lead
    if question.explanation:
        body += "\n\n" + question.explanation
    fields = (
        (Field(strings.REFERENCE, question.reference, inline=False),) if question.reference else ()
    )
    return body, fields


def card_back(
    question: QuestionView,
    review: ReviewView | None,
    shown_at: datetime,
    previews: dict[Grade, timedelta],
    *,
    ephemeral: bool,
) -> Reply:
    """A flashcard's answer side with the four rating buttons."""
    lead = question.prompt + "\n\n" + strings.ANSWER.format(answer=question.answer)
    body, fields = _explained(question, lead)
    return Reply(
        title=_title(question),
        body=body + "\n\n" + strings.RATE_PROMPT,
        fields=fields,
        buttons=rating_buttons(question, review.reps if review else 0, shown_at, previews),
        ephemeral=ephemeral,
    )


def _choice_text(question: QuestionView, index: int) -> str:
    if question.kind == "mcq":
        return f"{'ABCD'[index]}. {question.choices[index]}"
    return question.choice_labels[index]


def _rate_after_right(
    question: QuestionView,
    review: ReviewView | None,
    shown_at: datetime,
    previews: dict[Grade, timedelta],
    lead: str,
    ephemeral: bool,
) -> Reply:
    """A right answer: the explanation, then Hard / Good / Easy (Again is for misses)."""
    body, fields = _explained(question, lead)
    return Reply(
        title=_title(question),
        body=body + "\n\n" + strings.RATE_PROMPT,
        fields=fields,
        buttons=rating_buttons(
            question,
            review.reps if review else 0,
            shown_at,
            previews,
            (Grade.HARD, Grade.GOOD, Grade.EASY),
        ),
        ephemeral=ephemeral,
    )


def choice_correct(
    question: QuestionView,
    review: ReviewView | None,
    shown_at: datetime,
    previews: dict[Grade, timedelta],
    *,
    ephemeral: bool,
) -> Reply:
    """A right choice on an mcq or true/false card."""
    lead = strings.CORRECT.format(choice=_choice_text(question, question.correct_choice))
    lead = _choices_body(question) + "\n\n" + lead
    return _rate_after_right(question, review, shown_at, previews, lead, ephemeral)


def code_correct(
    question: QuestionView,
    review: ReviewView | None,
    shown_at: datetime,
    previews: dict[Grade, timedelta],
    verdict: str,
    *,
    ephemeral: bool,
) -> Reply:
    """A right code on a code_entry card."""
    lead = question.prompt + "\n\n" + strings.CODE_RIGHT.format(verdict=verdict)
    return _rate_after_right(question, review, shown_at, previews, lead, ephemeral)


def code_wrong(
    question: QuestionView, verdict: str, interval: timedelta, *, ephemeral: bool, extra: str = ""
) -> Reply:
    """A wrong (or skipped) code has been graded Again: the hint, the answer, the why."""
    lead = strings.CODE_WRONG.format(verdict=verdict, answer=question.answer)
    return _graded_again(question, question.prompt + "\n\n" + lead, interval, ephemeral, extra)


def choice_wrong(
    question: QuestionView, chosen: int, interval: timedelta, *, ephemeral: bool, extra: str = ""
) -> Reply:
    """A wrong choice has already been graded Again: explain and offer the next card."""
    lead = strings.WRONG.format(
        chosen=_choice_text(question, chosen),
        choice=_choice_text(question, question.correct_choice),
    )
    return _graded_again(
        question, _choices_body(question) + "\n\n" + lead, interval, ephemeral, extra
    )


def _graded_again(
    question: QuestionView, lead: str, interval: timedelta, ephemeral: bool, extra: str
) -> Reply:
    body, fields = _explained(question, lead)
    body += "\n\n" + strings.GRADED_WRONG.format(interval=format_interval(interval))
    if extra:
        body += "\n\n" + extra
    return Reply(
        title=_title(question),
        body=body,
        fields=fields,
        buttons=rows(Button(strings.NEXT_CARD, NEXT, ButtonStyle.PRIMARY)),
        ephemeral=ephemeral,
    )


def graded(grade: Grade, interval: timedelta, *, ephemeral: bool, extra: str = "") -> Reply:
    """The one-line confirmation after a rating."""
    body = strings.GRADED.format(grade=grade.label, interval=format_interval(interval))
    if extra:
        body += "\n\n" + extra
    return Reply(body=body, ephemeral=ephemeral)


def _local(instant: datetime, tz: ZoneInfo, now: datetime) -> str:
    local = instant.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def queue_empty(
    empty: QueueEmpty, tz: ZoneInfo, now: datetime, next_day: datetime, *, ephemeral: bool
) -> Reply:
    """Why there is nothing to study, and when there will be."""
    lines = [strings.NOTHING_DUE]
    if empty.next_due is not None:
        wait = max(empty.next_due - now, timedelta(0))
        lines.append(
            strings.NEXT_DUE.format(
                interval=format_interval(wait), local=_local(empty.next_due, tz, now)
            )
        )
    else:
        lines.append(strings.NO_REVIEWS)
    if empty.new_limit == 0:
        lines.append(strings.NEW_OFF)
    elif not empty.unseen_left:
        lines.append(strings.ALL_SEEN)
    elif empty.new_today >= empty.new_limit:
        lines.append(
            strings.NEW_DONE.format(limit=empty.new_limit, local=_local(next_day, tz, now))
        )
    return Reply(body="\n".join(lines), ephemeral=ephemeral)
