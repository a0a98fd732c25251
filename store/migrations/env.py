"""Alembic environment: the app passes its own connection; the CLI uses DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import store.assessment_models
import store.job_models
import store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from baton_config import settings
from store.db import make_engine

target_metadata = SQLModel.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or settings().database_url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
