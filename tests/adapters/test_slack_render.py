"""What a Slack user would notice: Block Kit limits respected, no mentions, mrkdwn right."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.render import RenderError, render
from bot.reply import Button, ButtonStyle, Field, Reply, error_reply, rows

_PIECES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["<!everyone>", "<!here>", "<@U123>", "&", "&lt;", "**b**", "*i*", "`c`", "\n\n", "\n- "]
    ),
)
TEXTS = st.builds(
    lambda parts, times: "".join(parts) * times,
    st.lists(_PIECES, max_size=12),
    st.integers(min_value=1, max_value=60),
)


def _of_type(result: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [block for block in result["blocks"] if block["type"] == kind]


def _mrkdwn_texts(result: dict[str, Any]) -> list[str]:
    """Every text Slack parses for formatting and mentions (plain_text is not parsed)."""
    texts = [result["text"]]
    for block in result["blocks"]:
        if block["type"] == "section":
            texts += [block["text"]["text"]] if "text" in block else []
            texts += [field["text"] for field in block.get("fields", [])]
        if block["type"] == "context":
            texts += [element["text"] for element in block["elements"]]
    return texts


def _section_texts(result: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in _of_type(result, "section") if "text" in b]


def _buttons(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for block in _of_type(result, "actions") for e in block["elements"]]


def test_layout_header_body_fields_actions_footer() -> None:
    result = render(
        Reply(
            title="Card 4",
            body="Code for *type 2 diabetes*?",
            fields=(Field("Deck", "ICD-10"),),
            buttons=rows(Button("Show", "show:4", ButtonStyle.PRIMARY)),
            footer="12 due today",
        )
    )
    assert [b["type"] for b in result["blocks"]] == [
        "header",
        "section",
        "section",
        "actions",
        "context",
    ]
    assert result["blocks"][0]["text"] == {"type": "plain_text", "text": "Card 4", "emoji": True}
    assert result["blocks"][2]["fields"][0]["text"] == "*Deck*\nICD-10"
    assert result["blocks"][4]["elements"][0]["text"] == "12 due today"
    assert "Card 4" in result["text"] and "type 2 diabetes" in result["text"]
    assert "image_png" not in result


def test_markdown_becomes_mrkdwn() -> None:
    body = "**Bold** and *italic* keep `a*b*c`\n- one\n- two\n2 * 3 * 4"
    assert _section_texts(render(Reply(body=body))) == [
        "*Bold* and _italic_ keep `a*b*c`\n• one\n• two\n2 * 3 * 4"
    ]


def test_fallback_text_has_no_markup() -> None:
    assert render(Reply(title="**Q1**", body="*why* `E11`"))["text"] == "Q1\nwhy E11"


@pytest.mark.parametrize("attack", ["<!everyone>", "<!here>", "<@U123ABC>", "<!channel>"])
def test_user_text_cannot_form_mentions(attack: str) -> None:
    result = render(
        Reply(body=attack, fields=(Field(attack, attack),), footer=attack, title=attack)
    )
    for text in _mrkdwn_texts(result):
        assert "<" not in text and ">" not in text
    assert _section_texts(result) == [attack.replace("<", "&lt;").replace(">", "&gt;")]


def test_ampersand_is_escaped_once() -> None:
    assert _section_texts(render(Reply(body="A & B &lt;"))) == ["A &amp; B &amp;lt;"]


def test_ephemeral_flag_maps_to_response_type() -> None:
    assert render(Reply(body="secret", ephemeral=True))["response_type"] == "ephemeral"
    assert render(Reply(body="hello"))["response_type"] == "in_channel"


def test_error_reply_is_marked_and_ephemeral() -> None:
    result = render(error_reply("No quiz is running."))
    assert result["response_type"] == "ephemeral"
    assert _section_texts(result)[0].startswith(":warning:")


def test_image_bytes_returned_for_upload_with_a_note() -> None:
    png = b"\x89PNG\r\n\x1a\nfake"
    result = render(Reply(body="chart", image=png))
    assert result["image_png"] == png
    notes = [e["text"] for b in _of_type(result, "context") for e in b["elements"]]
    assert any("image" in note.lower() for note in notes)
    assert not _of_type(result, "image")


def test_paragraphs_split_into_sections_of_3000_without_breaking_them() -> None:
    paragraphs = [chr(ord("a") + i) * 1000 for i in range(5)]
    texts = _section_texts(render(Reply(body="\n\n".join(paragraphs))))
    assert texts == [
        "\n\n".join(paragraphs[0:2]),
        "\n\n".join(paragraphs[2:4]),
        paragraphs[4],
    ]


def test_one_huge_paragraph_splits_at_spaces_keeping_every_word() -> None:
    body = " ".join(f"word{i}" for i in range(2000))
    texts = _section_texts(render(Reply(body=body)))
    assert len(texts) > 1
    assert all(len(text) <= 3000 for text in texts)
    assert " ".join(texts).split() == body.split()


def test_split_never_cuts_an_escape_in_half() -> None:
    texts = _section_texts(render(Reply(body="&" * 2000)))
    assert all(len(t) <= 3000 and re.fullmatch(r"(&amp;)+", t) for t in texts)
    assert sum(t.count("&amp;") for t in texts) == 2000


def test_header_limit_150() -> None:
    header = _of_type(render(Reply(title="T" * 200)), "header")[0]["text"]["text"]
    assert len(header) == 150 and header.endswith("…")


def test_fields_ten_per_section_each_at_most_2000() -> None:
    fields = tuple(Field(f"F{i}", "v" * 2500) for i in range(25))
    sections = [b for b in render(Reply(fields=fields))["blocks"] if "fields" in b]
    assert [len(s["fields"]) for s in sections] == [10, 10, 5]
    assert all(len(f["text"]) <= 2000 for s in sections for f in s["fields"])


def test_buttons_text_action_id_value_and_style() -> None:
    row = (
        Button("P", "p", ButtonStyle.PRIMARY),
        Button("S", "s", ButtonStyle.SUCCESS),
        Button("D", "d", ButtonStyle.DANGER),
        Button("N", "n", ButtonStyle.SECONDARY),
        Button("L" * 100, "x" * 255),
    )
    buttons = _buttons(render(Reply(buttons=(row,))))
    assert [b.get("style") for b in buttons] == ["primary", "primary", "danger", None, None]
    assert all(b["value"] == b["action_id"] for b in buttons)
    assert buttons[4]["action_id"] == "x" * 255
    assert len(buttons[4]["text"]["text"]) == 75


def test_one_actions_block_per_row_and_wide_rows_reflow() -> None:
    reply = Reply(buttons=(tuple(Button(str(i), f"a{i}") for i in range(30)), (Button("z", "z"),)))
    actions = _of_type(render(reply), "actions")
    assert [len(block["elements"]) for block in actions] == [25, 5, 1]


def test_action_id_over_255_is_an_error() -> None:
    with pytest.raises(RenderError, match=r"256 characters.*255"):
        render(Reply(buttons=((Button("x", "x" * 256),),)))


def test_more_than_50_rows_of_buttons_is_an_error() -> None:
    reply = Reply(buttons=tuple((Button(str(i), f"r{i}"),) for i in range(51)))
    with pytest.raises(RenderError, match=r"51 actions blocks.*50"):
        render(reply)


def test_duplicate_action_ids_are_an_error() -> None:
    with pytest.raises(RenderError, match="more than one"):
        render(Reply(buttons=((Button("a", "same"),), (Button("b", "same"),))))


def test_too_many_blocks_drops_body_first_keeps_buttons_and_says_so() -> None:
    body = "\n\n".join("p" * 2900 for _ in range(80))
    reply = Reply(
        title="Long", body=body, buttons=rows(*[Button(str(i), f"b{i}") for i in range(10)])
    )
    result = render(reply)
    blocks = result["blocks"]
    assert len(blocks) == 50
    assert blocks[0]["type"] == "header"
    assert len(_buttons(result)) == 10
    assert blocks[-1]["type"] == "context"
    assert "not shown" in blocks[-1]["elements"][0]["text"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXTS,
    body=TEXTS,
    footer=TEXTS,
    fields=st.lists(st.tuples(TEXTS, TEXTS), max_size=30),
    row_sizes=st.lists(st.integers(min_value=1, max_value=30), max_size=20),
    label=st.text(max_size=100),
)
def test_any_reply_fits_block_kit_limits_and_keeps_every_button(
    title: str,
    body: str,
    footer: str,
    fields: list[tuple[str, str]],
    row_sizes: list[int],
    label: str,
) -> None:
    buttons = tuple(
        tuple(Button(label, f"r{r}:{i}") for i in range(size)) for r, size in enumerate(row_sizes)
    )
    reply = Reply(
        title=title,
        body=body,
        footer=footer,
        fields=tuple(Field(n, v) for n, v in fields),
        buttons=buttons,
    )
    result = render(reply)
    blocks = result["blocks"]
    assert len(blocks) <= 50
    assert [b["action_id"] for b in _buttons(result)] == [b.action_id for b in reply.all_buttons]
    for block in blocks:
        if block["type"] == "header":
            assert 0 < len(block["text"]["text"]) <= 150
        if block["type"] == "section" and "text" in block:
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "section" and "fields" in block:
            assert 0 < len(block["fields"]) <= 10
            assert all(1 <= len(f["text"]) <= 2000 for f in block["fields"])
        if block["type"] == "actions":
            assert 0 < len(block["elements"]) <= 25
            assert all(1 <= len(e["text"]["text"]) <= 75 for e in block["elements"])
        if block["type"] == "context":
            assert all(1 <= len(e["text"]) <= 3000 for e in block["elements"])
    for text in _mrkdwn_texts(result):
        assert "<" not in text and ">" not in text
    assert 0 < len(result["text"]) <= 3000
