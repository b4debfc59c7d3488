"""User-facing text of the core, in one place for review and later translation."""

from __future__ import annotations

UNKNOWN_COMMAND = "Unknown command /{name}. Type /help to see every command."
NOT_A_COMMAND = "Commands start with / (try /help)."
FORBIDDEN = "/{name} needs the {role} role; you are {current}."
FORBIDDEN_ACTION = "That button needs the {role} role; you are {current}."
UNKNOWN_OPTION = "Unknown option {option!r} for /{name}. Options: {allowed}."
NO_OPTIONS = "/{name} takes no options (you gave {option!r})."
TOO_MANY_ARGS = "/{name} takes {count} word(s) after the command; you gave {given}. Try: {example}"
UNKNOWN_BUTTON = "That button is from an older version of StudyBot; run the command again."
INTERNAL_ERROR = "Something went wrong on our side and nothing was changed. Please try again."
DM_ONLY = "/{name} works in a direct message with the bot."

KIND_TITLES = {
    "flashcard": "Flashcard",
    "mcq": "Multiple choice",
    "true_false": "True or false",
    "code_entry": "Code entry",
}
SHOW_ANSWER = "Show answer"
TYPE_CODE = "Type the code"
TYPE_CODE_LABEL = "Your code(s), separated by commas"
TYPE_CODE_HINT = "Type the code (several codes: separate them with commas, in sequence)."
DONT_KNOW = "I don't know"
CODE_RIGHT = "✅ {verdict}"
CODE_WRONG = "❌ {verdict} The answer is **{answer}**."
CODE_EMPTY = "Type a code after pressing the button."
NEXT_CARD = "Next card"
ANSWER = "**Answer:** {answer}"
REFERENCE = "Reference"
NEW_FOOTER = "New card · {done} of {limit} new today"
REVIEW_FOOTER = "Review · seen {reps} time(s)"
CORRECT = "✅ Correct: **{choice}**"
WRONG = "❌ Not quite. You chose **{chosen}**; the answer is **{choice}**."
GRADED = "Graded **{grade}**: due again in {interval}."
GRADED_WRONG = "Graded **Again**: due again in {interval}."
RATE_PROMPT = "How hard was it? Each button shows when you will see this card again."
LEECH = (
    "⚠️ This card has lapsed {lapses} times, so it is a **leech** and has been suspended. "
    "Rewrite it in your own words or look it up, then unsuspend it with /leeches."
)
STALE = "You already graded this card; your first answer counted."
RETIRED = "That card is no longer in the question bank."
SUSPENDED = "That card is suspended. Use /leeches to unsuspend it."

NOTHING_DUE = "Nothing to study right now."
NEXT_DUE = "Your next review is due in {interval} ({local} your time)."
NO_REVIEWS = "You have no reviews scheduled."
NEW_LEFT = "New cards today: {done} of {limit}."
NEW_DONE = "That is all {limit} new cards for today; more from {local} your time."
ALL_SEEN = "You have started every card in this selection."
NEW_OFF = "New cards are off (new-per-day is 0); change it with /settings new=20."

UNDO_NOTHING = "There is nothing to undo."
UNDONE = "Undid **{grade}** on that card; it is back as it was. Here it is again:"

LEECHES_NONE = "You have no suspended cards."
LEECHES_TITLE = "Suspended cards (leeches)"
LEECHES_MORE = "…and {more} more; unsuspend some to see the rest."
UNSUSPEND = "Unsuspend {number}"
UNSUSPENDED = "Unsuspended: {prompt}"
NOT_SUSPENDED = "That card is not suspended."

UNKNOWN_TOPIC = "Unknown topic {topic!r}. Topics: {topics}."
UNKNOWN_EXAM = "Unknown exam {exam!r}. Exams: {exams}."
EMPTY_TOPIC = "There are no cards for {topic!r} yet; try /study with no topic."

SETTINGS_TITLE = "Your study settings"
SETTINGS_SAVED = "Saved."
SETTINGS_HELP = (
    "Change with /settings timezone=Europe/London new=20 retention=0.9 reminders=19:00 "
    "(several at once is fine; reminders=off stops review reminders)."
)
SETTING_TIMEZONE = "Timezone"
SETTING_NEW = "New cards per day"
SETTING_RETENTION = "Desired retention"
SETTING_DEFAULT = "{value} (default)"
SETTING_REMINDERS = "Review reminders"
SETTING_REMINDERS_AT = "a DM at {time} your time when reviews are due"
SETTING_REMINDERS_OFF = "off"
BAD_REMINDERS = "reminders must be a 24-hour time such as 19:00, or off (you gave {value})."
BAD_NEW = "new must be a whole number from 0 to 200 (you gave {value})."
NEW_TWICE = "Give new or new-per-day, not both (they are the same setting)."
BAD_RETENTION = "retention must be a number from 0.80 to 0.97 (you gave {value})."

FORGET_ASK = (
    "This deletes everything StudyBot stores about you: your cards, review history, "
    "quiz and challenge answers, points, streaks and settings. It cannot be undone."
)
FORGET_CONFIRM = "Delete my data"
FORGET_CANCEL = "Cancel"
FORGET_DONE = "Done: everything StudyBot stored about you has been deleted."
FORGET_CANCELLED = "Cancelled; nothing was deleted."
FORGET_NOTHING = "StudyBot stores nothing about you."

HELP_TITLE = "StudyBot commands"
HELP_FOOTER = 'Options are key=value; quote values with spaces: topic="a b".'
