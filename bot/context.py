"""Who is asking, from where: built by an adapter from a platform event."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Role(IntEnum):
    """Ordered: a higher role may do everything a lower one may."""

    MEMBER = 1
    MODERATOR = 2
    ADMIN = 3

    @classmethod
    def parse(cls, text: str) -> Role:
        """Role from its lower-case name; raises ValueError naming the choices."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(role.name.lower() for role in cls)
            raise ValueError(f"Unknown role {text!r}: use one of {names}.") from None


@dataclass(frozen=True)
class Context:
    """The neutral envelope for one inbound event.

    `workspace` is the Discord guild id or Slack team id ("" for a DM outside any
    workspace); `user` is the platform's user id. Learner progress is keyed by
    (platform, user); leaderboards and custom questions by (platform, workspace).
    """

    platform: str
    workspace: str
    channel: str
    user: str
    display_name: str
    is_dm: bool
    role: Role = Role.MEMBER
