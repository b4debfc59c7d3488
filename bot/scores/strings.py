"""User-facing text of leaderboards, /privacy, /stats and /config, in one place for
review and later translation."""

from __future__ import annotations

# /leaderboard
BOARD_TITLE = "Leaderboard · {period} · {scope}"
BOARD_LINE = "{rank}. {name}: {points:,} points"
BOARD_YOU_MARK = " ← you"
BOARD_STREAK = " · 🔥{days}"
BOARD_YOU = "You: #{rank} with {points:,} points."
BOARD_YOU_NONE = "You have no points here for this period yet."
BOARD_EMPTY = "No points yet for this period. Answer quiz questions to get on the board."
BOARD_HIDDEN_NAME = "(hidden)"
BOARD_NO_NAME = "(no name)"
BOARD_NEEDS_SERVER = (
    "Leaderboards belong to a server: run /leaderboard in a server channel, not in a DM."
)
BOARD_NEEDS_CHANNEL = "scope=channel needs a channel; in a DM use scope=server."
BOARD_BAD_OPTION = "{option} must be one of {choices} (you gave {value})."
BOARD_FOOTER = "Days start at midnight {zone} time. Hide your name with /privacy leaderboard off."
PERIOD_TODAY = "today ({day:%a} {day.day} {day:%b})"
PERIOD_WEEK = "this week ({start:%a} {start.day} {start:%b} – {end:%a} {end.day} {end:%b})"
PERIOD_MONTH = "{start:%B %Y}"
PERIOD_ALL = "all time"
SCOPE_CHANNEL = "this channel"
SCOPE_SERVER = "whole server"

# /privacy
PRIVACY_TITLE = "Privacy"
PRIVACY_HIDDEN = (
    "Your name is hidden on leaderboards: you appear as (hidden), keeping your rank and "
    "points. Show it again with /privacy leaderboard on."
)
PRIVACY_SHOWN = (
    "Your name is shown on leaderboards. Hide it with /privacy leaderboard off "
    "(you keep your rank and points)."
)
PRIVACY_USAGE = (
    "Use /privacy leaderboard off (hide your name on leaderboards) or "
    "/privacy leaderboard on (show it){gave}."
)
PRIVACY_GAVE = "; you gave {value}"

# /stats
STATS_TITLE = "Your study stats"
STATS_ACCURACY = "**Quiz accuracy by topic, last {days} days**"
STATS_ACCURACY_LINE = "- {topic}: {correct}/{answered} correct ({percent}%)"
STATS_ACCURACY_NONE = "No quiz answers in the last {days} days."
STATS_DUE = "Reviews due today"
STATS_STREAK = "Study streak"
STATS_STREAK_DAYS = "{days} day(s)"
STATS_WEAKEST = "**Weakest topics** (at least {minimum} answers): press one to drill it."
STATS_WEAKEST_NONE = "Answer at least {minimum} quiz questions on a topic to see your weakest."
STATS_DRILL = "Drill: {title}"
STATS_DRILL_GONE = "That topic is no longer in the question bank; run /stats again."

# /config
CONFIG_TITLE = "Server settings"
CONFIG_SAVED = "Saved."
CONFIG_HELP = (
    "Change with /config timezone=America/Chicago quiz-count=10 quiz-seconds=30 "
    "(several at once is fine; value=default goes back to the default)."
)
CONFIG_NEEDS_SERVER = "/config sets a server's settings: run it in a server channel, not a DM."
CONFIG_TIMEZONE = "Timezone (leaderboard days)"
CONFIG_COUNT = "Quiz questions"
CONFIG_SECONDS = "Quiz seconds per question"
CONFIG_VALUE = "{value} ({source})"
CONFIG_FROM_DEFAULT = "default"
CONFIG_FROM_WORKSPACE = "workspace"
CONFIG_BAD_NUMBER = "{option} must be a whole number from {low} to {high} (you gave {value})."
CONFIG_BAD_TIMEZONE = "timezone: {problem}"
CONFIG_NOTHING_CHANGED = "Nothing was changed."
