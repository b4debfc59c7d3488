"""The one command grammar: /command [positional] [key=value] [key="value with spaces"]."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar import GrammarError, ParsedCommand, parse_command


def test_bare_command() -> None:
    assert parse_command("/study") == ParsedCommand("study")


def test_surrounding_space_and_upper_case_name() -> None:
    assert parse_command("  /Study  topic=terminology \n") == ParsedCommand(
        "study", options={"topic": "terminology"}
    )


def test_options_and_positionals() -> None:
    parsed = parse_command("/quiz start 10 topic=icd10cm exam=CPC")
    assert parsed == ParsedCommand(
        "quiz", args=("start", "10"), options={"topic": "icd10cm", "exam": "CPC"}
    )


@pytest.mark.parametrize(
    "text",
    [
        '/study topic="word building"',
        "/study topic='word building'",
        '/study "topic=word building"',
        "/study topic=word\\ building",
    ],
)
def test_quoted_value_with_spaces(text: str) -> None:
    assert parse_command(text).options == {"topic": "word building"}


def test_quotes_inside_values() -> None:
    parsed = parse_command("""/note text="she said 'hi'" other='a "b" c'""")
    assert parsed.options == {"text": "she said 'hi'", "other": 'a "b" c'}


def test_empty_value_and_equals_inside_a_value() -> None:
    parsed = parse_command('/settings timezone="" formula=a=b')
    assert parsed.options == {"timezone": "", "formula": "a=b"}


def test_quoted_positional_stays_positional() -> None:
    assert parse_command('/search "heart attack"') == ParsedCommand(
        "search", args=("heart attack",)
    )


def test_hash_is_not_a_comment() -> None:
    assert parse_command("/study topic=#1").options == {"topic": "#1"}


def test_hyphen_and_underscore_option_names_are_the_same() -> None:
    assert parse_command("/settings new_per_day=15").options == {"new-per-day": "15"}
    assert parse_command("/settings new-per-day=15").options == {"new-per-day": "15"}


def test_duplicate_option_is_an_error() -> None:
    with pytest.raises(GrammarError, match=r"'topic'.*twice"):
        parse_command("/study topic=a topic=b")


def test_duplicate_option_through_underscore_spelling_is_an_error() -> None:
    with pytest.raises(GrammarError, match=r"'new-per-day'.*twice"):
        parse_command("/settings new_per_day=1 new-per-day=2")


@pytest.mark.parametrize("text", ['/study topic="terminology', "/study topic='a b"])
def test_unclosed_quote_is_an_error(text: str) -> None:
    with pytest.raises(GrammarError, match="quot"):
        parse_command(text)


@pytest.mark.parametrize("text", ["study", "study topic=x", "", "   ", "hello /study"])
def test_missing_slash_is_an_error(text: str) -> None:
    with pytest.raises(GrammarError, match="start with /"):
        parse_command(text)


@pytest.mark.parametrize("text", ["/", "/   "])
def test_slash_alone_is_an_error(text: str) -> None:
    with pytest.raises(GrammarError, match="after the /"):
        parse_command(text)


@pytest.mark.parametrize("text", ["/123", "/-study", "/st@dy", "/_x"])
def test_bad_command_name_is_an_error(text: str) -> None:
    with pytest.raises(GrammarError, match="not a command name"):
        parse_command(text)


def test_upper_case_key_is_not_an_option() -> None:
    """Only lower-case keys are options; anything else stays a word for the handler to refuse."""
    assert parse_command("/study Topic=x") == ParsedCommand("study", args=("Topic=x",))


# --- round trip ----------------------------------------------------------------------------

NAMES = st.from_regex(r"\A[a-z][a-z0-9-]{0,15}\Z")
KEYS = st.from_regex(r"\A[a-z][a-z0-9_-]{0,15}\Z")
VALUES = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    max_size=40,
)
WORDS = VALUES.filter(lambda word: "=" not in word)


@settings(max_examples=300, database=None, deadline=None)
@given(
    name=NAMES,
    args=st.lists(WORDS, max_size=3),
    options=st.dictionaries(KEYS, VALUES, max_size=5),
)
def test_rendered_commands_parse_back(name: str, args: list[str], options: dict[str, str]) -> None:
    normalised = {key.replace("_", "-"): value for key, value in options.items()}
    if len(normalised) != len(options):  # new_x and new-x are the same option
        with pytest.raises(GrammarError, match="twice"):
            parse_command(_render(name, args, options))
        return
    parsed = parse_command(_render(name, args, options))
    assert parsed == ParsedCommand(name, tuple(args), normalised)


def _render(name: str, args: list[str], options: dict[str, str]) -> str:
    words = [shlex.quote(arg) for arg in args]
    words += [f"{key}={shlex.quote(value)}" for key, value in options.items()]
    return " ".join([f"/{name}", *words])
