"""Replies for daily challenges: the post with answer buttons, the reveal, the weekly board."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.actions import encode
from bot.challenge import strings
from bot.challenge.answers import Scored
from bot.challenge.store import ChallengeItem
from bot.reply import Button, ButtonStyle, Field, Reply, rows
from bot.scores.leaderboard import Entry, Period

ANSWER = "ch.a"


def closing_time(item: ChallengeItem) -> str:
    """ "21:00", or "Tue 05:36" when the challenge closes on a later local day."""
    tz = ZoneInfo(item.timezone)
    closes = item.closes_at.astimezone(tz)
    same_day = closes.date() == item.posted_at.astimezone(tz).date()
    return closes.strftime("%H:%M" if same_day else "%a %H:%M")


def _question_body(item: ChallengeItem) -> str:
    body = item.prompt
    if item.kind == "mcq":
        body += "\n\n" + "\n".join(f"**{'ABCD'[i]}.** {c}" for i, c in enumerate(item.choices))
    return body


def post(item: ChallengeItem) -> Reply:
    labels = ("A", "B", "C", "D") if item.kind == "mcq" else item.labels
    return Reply(
        title=strings.POST_TITLE.format(day=item.local_date),
        body=_question_body(item),
        footer=strings.POST_FOOTER.format(closes=closing_time(item), zone=item.timezone),
        buttons=rows(
            *(
                Button(label, encode(ANSWER, item.id, index), ButtonStyle.PRIMARY)
                for index, label in enumerate(labels)
            )
        ),
    )


def closed_post(item: ChallengeItem) -> Reply:
    """The original post once revealed: same question, no buttons."""
    return Reply(
        title=strings.POST_TITLE.format(day=item.local_date),
        body=_question_body(item),
        footer=strings.CLOSED_FOOTER,
    )


def _name(name: str, hidden: bool) -> str:
    return strings.HIDDEN if hidden else (name.strip() or strings.HIDDEN)


def reveal(item: ChallengeItem, scored: list[Scored], streaks: dict[int, int]) -> Reply:
    lines = [strings.REVEAL_ANSWER.format(choice=item.choice_text(item.correct_choice))]
    if item.explanation:
        lines.append(item.explanation)
    right = [answer for answer in scored if answer.correct]
    if not scored:
        lines.append(strings.REVEAL_NO_ANSWERS)
    else:
        percent = round(100 * len(right) / len(scored))
        lines.append(
            strings.REVEAL_SCORE.format(right=len(right), answered=len(scored), percent=percent)
        )
        if right:
            names = ", ".join(
                strings.REVEAL_FIRST_LINE.format(
                    name=_name(answer.display_name, answer.hidden),
                    points=answer.points,
                    streak=(
                        strings.STREAK_MARK.format(days=streaks[answer.learner_id])
                        if streaks.get(answer.learner_id, 0) > 1
                        else ""
                    ),
                )
                for answer in right[:3]
            )
            lines.append(strings.REVEAL_FIRST.format(names=names))
        else:
            lines.append(strings.REVEAL_NOBODY)
    fields = (Field("Reference", item.reference, inline=False),) if item.reference else ()
    return Reply(
        title=strings.REVEAL_TITLE.format(day=item.local_date),
        body="\n\n".join(lines),
        fields=fields,
    )


def weekly(period: Period, top: list[Entry], streaks: dict[int, int], zone: str) -> Reply:
    lines = [
        strings.WEEKLY_LINE.format(
            rank=entry.rank,
            name=_name(entry.name, entry.hidden),
            points=entry.points,
            streak=(
                strings.WEEKLY_STREAK.format(days=streaks[entry.learner_id])
                if streaks.get(entry.learner_id, 0) > 1
                else ""
            ),
        )
        for entry in top
    ]
    assert period.first is not None and period.last is not None
    return Reply(
        title=strings.WEEKLY_TITLE.format(start=period.first, end=period.last),
        body="\n".join(lines) or strings.WEEKLY_EMPTY,
        footer=strings.WEEKLY_FOOTER.format(zone=zone),
    )


def reminder(count: int) -> Reply:
    return Reply(title=strings.REMINDER_TITLE, body=strings.REMINDER_BODY.format(count=count))
