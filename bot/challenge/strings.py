"""User-facing text of daily challenges, weekly boards and reminders."""

from __future__ import annotations

POST_TITLE = "Daily challenge · {day:%a} {day.day} {day:%b}"
POST_FOOTER = "Answer by {closes} ({zone}) · one answer each, change it until then"
CLOSED_FOOTER = "Closed · the answer is below"
REVEAL_TITLE = "Daily challenge · {day:%a} {day.day} {day:%b}: the answer"
REVEAL_ANSWER = "The answer is **{choice}**."
REVEAL_SCORE = "{right} of {answered} answered correctly ({percent}%)."
REVEAL_NO_ANSWERS = "Nobody answered this one."
REVEAL_FIRST = "**First right:** {names}"
REVEAL_FIRST_LINE = "{name} (+{points}{streak})"
REVEAL_NOBODY = "Nobody got it right."
STREAK_MARK = ", 🔥{days}"
HIDDEN = "(hidden)"
YOUR_ANSWER = "You answered **{choice}**. You can change it until {closes} ({zone})."
YOUR_ANSWER_CHANGED = "Changed to **{choice}**. You can change it until {closes} ({zone})."
YOUR_ANSWER_SAME = "You already answered **{choice}**."
CLOSED = "This challenge is closed."

WEEKLY_TITLE = (
    "Weekly leaderboard · {start:%a} {start.day} {start:%b} – {end:%a} {end.day} {end:%b}"
)
WEEKLY_LINE = "{rank}. {name}: {points:,} points{streak}"
WEEKLY_STREAK = " · 🔥{days}"
WEEKLY_EMPTY = "Nobody scored last week. Today's challenge is a good place to start."
WEEKLY_FOOTER = "Quiz and challenge points, whole server · days start at midnight {zone}"

REMINDER_TITLE = "Reviews due"
REMINDER_BODY = (
    "You have {count} review(s) due today. Type /study to do them; "
    "/settings reminders=off stops these messages."
)

USAGE = (
    "Use /challenge subscribe, /challenge unsubscribe, /challenge status or /challenge now"
    " (not {word!r})."
)
OPTIONS_ONLY_SUBSCRIBE = "Only /challenge subscribe takes options ({options})."
NEEDS_CHANNEL = "Daily challenges belong to a server channel: run /challenge in one, not in a DM."
SUBSCRIBED = "Subscribed: this channel gets a daily challenge."
RESUBSCRIBED = "Subscription updated."
UNSUBSCRIBED = (
    "Unsubscribed: no more daily challenges or weekly boards here. "
    "An open challenge is still revealed."
)
NOT_SUBSCRIBED = "This channel has no daily challenge. Start one with /challenge subscribe."
ALREADY_OFF = "This channel is not subscribed."
ALREADY_TODAY = "Today's challenge ({day:%a} {day.day} {day:%b}) is already posted here."
NO_QUESTIONS = (
    "No multiple-choice or true/false questions match {topic}: choose another topic "
    "(or none) with /challenge subscribe topic=..."
)
NOTHING_CHANGED = "Nothing was changed."
BAD_TIMEZONE = "timezone: {problem}"
CLOSE_AFTER_RANGE = (10, 24 * 60)

STATUS_TITLE = "Daily challenge"
STATUS_STATE = "Status"
STATUS_ACTIVE = "active"
STATUS_PAUSED = (
    "paused after {failures} failed posts: fix the bot's access, then /challenge subscribe"
)
STATUS_OFF = "off (unsubscribed)"
STATUS_SCHEDULE = "Posts"
STATUS_SCHEDULE_VALUE = "daily at {time} {zone}, open for {close_after}"
STATUS_TOPIC = "Topic"
STATUS_ANY_TOPIC = "any"
STATUS_NEXT = "Next post"
STATUS_NEXT_VALUE = "{local} {zone} ({utc} UTC)"
STATUS_NONE = "none"
STATUS_WEEKLY = "Weekly board"
STATUS_WEEKLY_VALUE = "{day} {time} {zone}"
STATUS_WEEKLY_OFF = "off"
STATUS_LAST = "Last post"
STATUS_LAST_VALUE = "{local} {zone} ({state})"
STATUS_ERROR = "Last error"
STATUS_ERROR_VALUE = "{when}: {error}"
