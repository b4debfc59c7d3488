"""The one explicit table of commands and button actions, with their required roles."""

from __future__ import annotations

from bot import account
from bot.quiz import handlers as quiz
from bot.quiz import render as quiz_render
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
        "show or change your timezone, new cards per day and desired retention",
        "/settings timezone=America/Chicago new=15 retention=0.9",
        options=("timezone", "new", "new-per-day", "retention"),
    ),
    CommandSpec(
        "forget-me", account.forget_command, "delete everything stored about you", "/forget-me"
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
)
