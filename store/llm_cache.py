"""The judge's cache in the database, so no answer is judged (and paid for) twice, across
processes and restarts."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from grading.judge import JudgeVerdict
from store.db import session_scope
from store.models import LLMCache


class DbJudgeCache:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> JudgeVerdict | None:
        with session_scope(self.engine) as session:
            row = session.get(LLMCache, key)
            return JudgeVerdict.model_validate(row.response) if row else None

    def put(self, key: str, model: str, prompt_version: str, verdict: JudgeVerdict) -> None:
        try:
            with session_scope(self.engine) as session:
                session.add(
                    LLMCache(key=key, model=model, prompt_version=prompt_version, response=verdict.model_dump())
                )
        except IntegrityError:
            pass  # another process stored the same verdict first; identical by construction
