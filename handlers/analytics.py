"""Analytics: figures over a window of jobs, in all and as a time series (baton/analytics.py)."""

from __future__ import annotations

from typing import Any

from baton import analytics
from baton.context import principal_of, services

__all__ = ["get_analytics_summary", "get_analytics_trends"]


async def get_analytics_summary(token_info: dict[str, Any], user: str, **params: Any):
    # params: from, to, queue, name, label by their query names (`from` is a keyword in Python)
    return await analytics.summary(services().storage, principal_of(token_info), **params)


async def get_analytics_trends(token_info: dict[str, Any], user: str, **params: Any):
    return await analytics.trends(services().storage, principal_of(token_info), **params)
