"""Settings from the environment and `.env` (pydantic-settings).

Secrets are `SecretStr`: they never appear in reprs or logs.
"""

from __future__ import annotations

import logging

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.studyday import zone
from storage.urls import parse_database_url

DEFAULT_DATABASE_URL = "sqlite:///./studybot.db"
_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class SettingsError(ValueError):
    """One clear line naming the setting that is wrong."""


class Settings(BaseSettings):
    """Everything configurable; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = DEFAULT_DATABASE_URL
    default_timezone: str = "UTC"
    log_level: str = "WARNING"
    bundled_packs: bool = True

    discord_token: SecretStr | None = None
    discord_api_base: str = ""
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base: str = ""
    slack_port: int = Field(default=3000, ge=1, le=65535)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        parse_database_url(value)
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        zone(value)
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LEVELS:
            raise ValueError(f"{value!r} is not a level; use one of {', '.join(_LEVELS)}")
        return level

    @property
    def has_platform_token(self) -> bool:
        return bool(self.discord_token or self.slack_bot_token)

    @property
    def logging_level(self) -> int:
        return int(getattr(logging, self.log_level))


def load_settings(**overrides: object) -> Settings:
    """Read settings; raises SettingsError naming the first bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Setting {name} is invalid: {message}") from None
