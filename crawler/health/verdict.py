"""Whether a crawl or a replay failed, from its stats: the rule the commands' exit codes and the report share."""

from __future__ import annotations

from typing import Any


def site_failed(stats: dict[str, Any]) -> str | None:
    """Why a site's crawl counts as failed, or None when it did not (a resumed job it had finished did not)."""
    if stats.get("state/job_already_finished") and stats.get("finish_reason") == "finished":
        return None
    if stats.get("finish_reason") != "finished":
        return f"finished with {stats.get('finish_reason')!r}"
    if stats.get("spider_exceptions/count", 0):
        return f"{stats['spider_exceptions/count']} spider exceptions"
    ok = sum(v for k, v in stats.items() if k.startswith("downloader/response_status_count/2"))
    if not ok and stats.get("distributed/worker") and not stats.get("downloader/request_count"):
        return None  # distributed mode: other workers took every request of this site
    if stats.get("replay/files") is not None:  # a replay: the records it read back answer as responses do
        ok += stats.get("replay/responses", 0)
        if not ok and not stats.get("replay/article_captures"):
            return None  # a replay that found nothing to parse (its note says why) has not failed
    if not ok:
        return "no successful response"
    if stats.get("health/alarms", 0):
        return f"{stats['health/alarms']} layout-drift alarms (see the log)"
    return None


def replay_failed(stats: dict[str, Any]) -> str | None:
    """Why a replay counts as failed, or None: it did not finish, raised errors, or read no capture at all."""
    if stats.get("finish_reason") != "finished":
        return f"finished with {stats.get('finish_reason')!r}"
    if stats.get("spider_exceptions/count", 0):
        return f"{stats['spider_exceptions/count']} spider exceptions"
    if not stats.get("replay/captures"):
        unreadable = stats.get("replay/damaged_records", 0) + stats.get("replay/unreadable_files", 0)
        return "no HTTP capture could be read from the inputs" + (f" ({unreadable} unreadable)" if unreadable else "")
    return None
