"""Replies for quizzes: a question with letter buttons, its reveal, the standings."""

from __future__ import annotations

from collections import Counter

from bot.actions import encode
from bot.quiz import strings
from bot.quiz.attempts import FinalAnswer, Standing
from bot.quiz.store import QuizItem
from bot.reply import Button, ButtonStyle, Field, Reply, rows

ANSWER = "qz.a"


def question(item: QuizItem) -> Reply:
    """The question as posted in the channel: choices in the body, letters on buttons."""
    body = item.prompt
    if item.kind == "mcq":
        body += "\n\n" + "\n".join(f"**{'ABCD'[i]}.** {c}" for i, c in enumerate(item.choices))
    labels = ("A", "B", "C", "D") if item.kind == "mcq" else item.labels
    footer = (
        strings.QUESTION_FOOTER_DM
        if item.is_dm
        else strings.QUESTION_FOOTER_TIMED.format(seconds=item.seconds)
    )
    return Reply(
        title=strings.QUESTION_TITLE.format(number=item.number, count=item.count),
        body=body,
        footer=footer,
        buttons=rows(
            *(
                Button(label, encode(ANSWER, item.quiz_question_id, index), ButtonStyle.PRIMARY)
                for index, label in enumerate(labels)
            )
        ),
    )


def _name(answer: FinalAnswer) -> str:
    return strings.HIDDEN if answer.hidden else answer.display_name


def reveal(item: QuizItem, answers: list[FinalAnswer]) -> Reply:
    """The answer, why, how many chose each option and who was right."""
    lines = [strings.REVEAL_ANSWER.format(choice=item.choice_text(item.correct_choice))]
    if item.explanation:
        lines.append(item.explanation)
    chosen = Counter(answer.choice for answer in answers)
    letters = ("A", "B", "C", "D") if item.kind == "mcq" else item.labels
    counts = " · ".join(f"{letter} {chosen.get(i, 0)}" for i, letter in enumerate(letters))
    lines.append(strings.REVEAL_COUNTS.format(counts=counts))
    right = [answer for answer in answers if answer.correct]
    if not answers:
        lines.append(strings.REVEAL_NO_ANSWERS)
    elif right:
        names = ", ".join(f"{_name(a)} (+{a.points})" for a in right)
        lines.append(strings.REVEAL_RIGHT.format(names=names))
    else:
        lines.append(strings.REVEAL_NOBODY)
    fields = (Field("Reference", item.reference, inline=False),) if item.reference else ()
    return Reply(
        title=strings.REVEAL_TITLE.format(number=item.number, count=item.count),
        body="\n\n".join(lines),
        fields=fields,
    )


def final_standings(table: list[Standing], stopped_by: str = "") -> Reply:
    title = (
        strings.STANDINGS_STOPPED.format(name=stopped_by) if stopped_by else strings.STANDINGS_TITLE
    )
    lines = [
        strings.STANDING_LINE.format(
            rank=rank, name=s.display_name, points=s.points, correct=s.correct
        )
        for rank, s in enumerate(table[:10], start=1)
    ]
    return Reply(title=title, body="\n".join(lines) or strings.STANDINGS_EMPTY)


def dm_summary(table: list[Standing], count: int) -> Reply:
    mine = table[0] if table else Standing("", 0, 0)
    return Reply(
        title=strings.STANDINGS_TITLE,
        body=strings.DM_SUMMARY.format(correct=mine.correct, count=count, points=mine.points),
    )
