"""Alembic migrations; applied by `baton db upgrade` and at server start."""
