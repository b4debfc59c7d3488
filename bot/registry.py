"""The one explicit table of commands and button actions, with their required roles."""

from __future__ import annotations

from bot import account, config_cmd
from bot.challenge import handlers as challenge
from bot.challenge import render as challenge_render
from bot.context import Role
from bot.quiz import handlers as quiz
from bot.quiz import render as quiz_render
from bot.scores import leaderboard, privacy, stats
from bot.study import answering, cards, handlers
from bot.table import ActionSpec, CommandSpec

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "study",
        handlers.study_command,
        "study spaced-repetition cards: due reviews first, then new cards",
        "/study topic=terminology exam=CPC",
        options=("topic", "exam"),
    ),
    CommandSpec(
        "quiz",
        quiz.quiz_command,
        "start a timed quiz here (in a DM: self-paced); /quiz stop ends it",
        "/quiz topic=icd10cm count=10 seconds=30",
        options=("topic", "exam", "count", "seconds"),
        max_args=1,
    ),
    CommandSpec("undo", handlers.undo_command, "take back your last grade", "/undo"),
    CommandSpec(
        "leeches", handlers.leeches_command, "list suspended cards and unsuspend them", "/leeches"
    ),
    CommandSpec(
        "settings",
        account.settings_command,
        "show or change your timezone, new cards per day, retention and review reminders",
        "/settings timezone=America/Chicago new=15 retention=0.9 reminders=19:00",
        options=("timezone", "new", "new-per-day", "retention", "reminders"),
    ),
    CommandSpec(
        "forget-me", account.forget_command, "delete everything stored about you", "/forget-me"
    ),
    CommandSpec(
        "leaderboard",
        leaderboard.leaderboard_command,
        "top ten by quiz points, in this channel or the whole server",
        "/leaderboard period=week scope=server",
        options=("period", "scope"),
    ),
    CommandSpec(
        "privacy",
        privacy.privacy_command,
        "hide or show your name on leaderboards",
        "/privacy leaderboard off",
        max_args=2,
    ),
    CommandSpec(
        "stats",
        stats.stats_command,
        "your accuracy by topic, reviews due today, streak and weakest topics",
        "/stats",
    ),
    CommandSpec(
        "config",
        config_cmd.config_command,
        "show or change this server's timezone and quiz defaults",
        "/config timezone=America/Chicago quiz-count=10 quiz-seconds=30",
        role=Role.MODERATOR,
        options=("timezone", "quiz-count", "quiz-seconds"),
    ),
    CommandSpec(
        "challenge",
        challenge.challenge_command,
        "a daily challenge here at a local time, plus a weekly leaderboard: "
        "subscribe, unsubscribe, status, now",
        "/challenge subscribe time=09:00 timezone=America/New_York topic=icd10cm "
        'close-after=12h weekly="mon 09:00"',
        role=Role.MODERATOR,
        options=("time", "timezone", "topic", "close-after", "weekly"),
        max_args=1,
    ),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(cards.SHOW, answering.show_action),
    ActionSpec(cards.PICK, answering.pick_action),
    ActionSpec(cards.RATE, answering.rate_action),
    ActionSpec(cards.NEXT, handlers.next_action),
    ActionSpec(cards.UNSUSPEND, handlers.unsuspend_action),
    ActionSpec(cards.CODE, answering.code_action),
    ActionSpec(cards.SKIP, answering.skip_action),
    ActionSpec(account.FORGET, account.forget_action),
    ActionSpec(quiz_render.ANSWER, quiz.answer_action),
    ActionSpec(stats.DRILL, stats.drill_action),
    ActionSpec(challenge_render.ANSWER, challenge.answer_action),
)
