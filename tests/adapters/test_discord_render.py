"""What a Discord user would notice: limits respected, no pings, buttons laid out, errors early.

`render` builds a discord.ui.View, which needs a running loop, so these tests are async.
"""

from __future__ import annotations

from typing import Any

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.render import RenderError, render, render_components
from bot.reply import Button, ButtonStyle, Field, Reply, error_reply, rows

_PIECES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["@everyone", "@here", "@Everyone", "**b**", "*i*", "`c`", "\n", "- ", "🙂"]),
)
# Short texts and very long ones (a random chunk repeated), so every limit gets crossed.
TEXTS = st.builds(
    lambda parts, times: "".join(parts) * times,
    st.lists(_PIECES, max_size=12),
    st.integers(min_value=1, max_value=40),
)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _embed(kwargs: dict[str, Any]) -> discord.Embed:
    embed = kwargs["embed"]
    assert isinstance(embed, discord.Embed)
    return embed


def _texts(embed: discord.Embed) -> list[str]:
    """Every piece of text a user can read in the embed."""
    texts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    for field in embed.fields:
        texts += [field.name or "", field.value or ""]
    return texts


def _buttons(n: int, prefix: str = "b") -> list[Button]:
    return [Button(f"Option {i}", f"{prefix}:{i}") for i in range(n)]


async def test_plain_reply_has_embed_and_flag_but_no_view_or_file() -> None:
    kwargs = render(Reply(title="Card 1", body="What is **E11.9**?", footer="3 due"))
    embed = _embed(kwargs)
    assert (embed.title, embed.description, embed.footer.text) == (
        "Card 1",
        "What is **E11.9**?",
        "3 due",
    )
    assert kwargs["ephemeral"] is False
    assert "view" not in kwargs
    assert "file" not in kwargs


async def test_error_reply_is_red_and_private_other_replies_blue() -> None:
    error = render(error_reply("That quiz has ended."))
    normal = render(Reply(body="Quiz started."))
    assert _embed(error).colour == discord.Colour.red()
    assert error["ephemeral"] is True
    assert _embed(normal).colour == discord.Colour.blue()


async def test_markdown_subset_passes_through_unchanged() -> None:
    body = "**Bold** and *italic* with `J45.909`\n- first\n- second\nlast line"
    assert _embed(render(Reply(body=body))).description == body


async def test_long_description_is_cut_to_4096_with_ellipsis() -> None:
    body = "word " * 2000
    description = _embed(render(Reply(body=body))).description or ""
    assert len(description) == 4096
    assert description == body[:4095] + "…"


async def test_title_footer_and_field_limits() -> None:
    reply = Reply(
        title="T" * 300,
        footer="F" * 2100,
        fields=(Field("N" * 300, "V" * 1100),),
    )
    embed = _embed(render(reply))
    assert len(embed.title or "") == 256 and (embed.title or "").endswith("…")
    assert len(embed.footer.text or "") == 2048
    assert len(embed.fields[0].name or "") == 256
    assert len(embed.fields[0].value or "") == 1024


async def test_more_than_25_fields_keeps_25_and_says_how_many_are_hidden() -> None:
    fields = tuple(Field(f"Q{i}", "ok") for i in range(30))
    embed = _embed(render(Reply(fields=fields)))
    assert len(embed.fields) == 25
    assert [f.name for f in embed.fields[:24]] == [f"Q{i}" for i in range(24)]
    assert "6 more" in (embed.fields[24].value or "")


async def test_everything_at_maximum_still_fits_6000_total() -> None:
    reply = Reply(
        title="t" * 256,
        body="b" * 4096,
        footer="f" * 2048,
        fields=tuple(Field("n" * 256, "v" * 1024) for _ in range(25)),
    )
    assert len(_embed(render(reply))) <= 6000


@pytest.mark.parametrize("mention", ["@everyone", "@here", "@EVERYONE", "@Here"])
async def test_mass_mentions_never_ping(mention: str) -> None:
    reply = Reply(
        title=f"hi {mention}",
        body=f"{mention} look",
        footer=mention,
        fields=(Field(mention, mention),),
    )
    for text in _texts(_embed(render(reply))):
        assert mention.lower() not in text.lower()
        assert "@\u200b" in text


async def test_user_mentions_are_left_alone() -> None:
    assert _embed(render(Reply(body="well done <@1234567890123>"))).description == (
        "well done <@1234567890123>"
    )


async def test_image_is_attached_and_shown_in_embed() -> None:
    png = b"\x89PNG\r\n\x1a\nfake"
    kwargs = render(Reply(body="chart", image=png))
    file = kwargs["file"]
    assert isinstance(file, discord.File)
    assert file.filename == "image.png"
    assert file.fp.read() == png
    assert _embed(kwargs).image.url == "attachment://image.png"


async def test_empty_reply_still_has_a_sendable_embed() -> None:
    assert _embed(render(Reply())).description


async def test_buttons_become_a_persistent_view_matching_raw_components() -> None:
    reply = Reply(
        body="Pick one",
        buttons=(
            (
                Button("Yes", "ans:1", ButtonStyle.SUCCESS),
                Button("No", "ans:2", ButtonStyle.DANGER),
            ),
            (
                Button("Skip", "skip", ButtonStyle.SECONDARY),
                Button("Go", "go", ButtonStyle.PRIMARY),
            ),
        ),
    )
    view = render(reply)["view"]
    assert isinstance(view, discord.ui.View)
    assert view.timeout is None
    components = render_components(reply)
    assert view.to_components() == components
    assert [[b["custom_id"] for b in row["components"]] for row in components] == [
        ["ans:1", "ans:2"],
        ["skip", "go"],
    ]
    assert [b["style"] for row in components for b in row["components"]] == [3, 4, 2, 1]
    assert all(row["type"] == 1 for row in components)
    assert all(b["type"] == 2 for row in components for b in row["components"])


async def test_long_label_is_cut_to_80() -> None:
    components = render_components(Reply(buttons=((Button("L" * 120, "long"),),)))
    label = components[0]["components"][0]["label"]
    assert len(label) == 80 and label.endswith("…")


def test_wide_row_reflows_to_five_per_row() -> None:
    components = render_components(Reply(buttons=(tuple(_buttons(7)),)))
    assert [len(row["components"]) for row in components] == [5, 2]


async def test_25_single_button_rows_pack_into_5_rows_of_5() -> None:
    reply = Reply(buttons=tuple((b,) for b in _buttons(25)))
    view = render(reply)["view"]
    components = render_components(reply)
    assert [len(row["components"]) for row in components] == [5] * 5
    assert view.to_components() == components


def test_26_buttons_is_an_error_naming_count_and_limit() -> None:
    with pytest.raises(RenderError, match=r"26 buttons.*25"):
        render_components(Reply(buttons=rows(*_buttons(26))))


async def test_26_buttons_fail_before_any_view_is_built() -> None:
    with pytest.raises(RenderError):
        render(Reply(buttons=rows(*_buttons(26))))


def test_custom_id_of_100_is_fine_101_is_an_error() -> None:
    ok = render_components(Reply(buttons=((Button("ok", "x" * 100),),)))
    assert ok[0]["components"][0]["custom_id"] == "x" * 100
    with pytest.raises(RenderError, match=r"101 characters.*100"):
        render_components(Reply(buttons=((Button("bad", "x" * 101),),)))


def test_duplicate_or_empty_action_ids_are_errors() -> None:
    with pytest.raises(RenderError, match="more than one"):
        render_components(Reply(buttons=((Button("a", "same"), Button("b", "same")),)))
    with pytest.raises(RenderError, match="empty"):
        render_components(Reply(buttons=((Button("a", ""),),)))


@SLOW
@given(
    title=TEXTS,
    body=TEXTS,
    footer=TEXTS,
    fields=st.lists(st.tuples(TEXTS, TEXTS), max_size=30),
)
async def test_any_text_fits_every_embed_limit_and_never_pings(
    title: str, body: str, footer: str, fields: list[tuple[str, str]]
) -> None:
    reply = Reply(
        title=title,
        body=body,
        footer=footer,
        fields=tuple(Field(name, value) for name, value in fields),
    )
    embed = _embed(render(reply))
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= 4096
    assert len(embed.footer.text or "") <= 2048
    assert len(embed.fields) <= 25
    for field in embed.fields:
        assert 0 < len(field.name or "") <= 256
        assert 0 < len(field.value or "") <= 1024
    assert len(embed) <= 6000
    for text in _texts(embed):
        assert "@everyone" not in text.lower() and "@here" not in text.lower()


@settings(max_examples=60, deadline=None)
@given(
    row_sizes=st.lists(st.integers(min_value=0, max_value=12), max_size=25).filter(
        lambda sizes: sum(sizes) <= 25
    ),
    labels=st.lists(st.text(max_size=120), min_size=25, max_size=25),
)
async def test_any_25_or_fewer_buttons_fit_5_rows_of_5_in_order(
    row_sizes: list[int], labels: list[str]
) -> None:
    counter = iter(range(25))
    reply = Reply(
        buttons=tuple(
            tuple(Button(labels[i], f"id:{i}") for i in (next(counter) for _ in range(size)))
            for size in row_sizes
        )
    )
    components = render_components(reply)
    assert len(components) <= 5
    assert all(1 <= len(row["components"]) <= 5 for row in components)
    flat = [b for row in components for b in row["components"]]
    assert [b["custom_id"] for b in flat] == [b.action_id for b in reply.all_buttons]
    assert all(1 <= len(b["label"]) <= 80 for b in flat)
    if reply.all_buttons:
        assert render(reply)["view"].to_components() == components
