"""Deployment settings, from the environment (and a `.env` file if present). A neutral module:
every layer may read it, and it imports none of them. The README's Configuration table lists
exactly these settings (tests/test_config.py checks it)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUSY_TIMEOUT_MS = 5_000
DEFAULT_DB = ROOT / "data" / "baton.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DEFAULT_DB}")
    db_busy_timeout_ms: int = Field(
        DEFAULT_BUSY_TIMEOUT_MS, ge=0, description="how long SQLite waits on a lock before giving up"
    )
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    judge_timeout_s: float = Field(30.0, gt=0, description="how long one judge call may take")
    baton_demo: bool = Field(False, description="demo mode: switch between demo learner and instructor")
    baton_admin_email: str | None = Field(None, description="the first admin, by sign-in email")
    baton_packs_dir: Path | None = Field(None, description="extra exercise packs (e.g. an instructor's)")


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings()
