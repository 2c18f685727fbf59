"""What a page or a report document says when the statuses it shows may be behind the
figures they read (``RecomputeState.behind_since``): the pages through
``commitments/_stale.html``, the XLSX (``commitments.exports``) in the same words."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


def moment(when: dt.datetime) -> str:
    """A moment as the pages write it, in local time: 30/11/2026 14:05."""
    return date_format(timezone.localtime(when), "d/m/Y H:i")


@register.filter
def stale_note(state) -> str:
    """Since when the statuses of a year may be behind and whether a recompute waits
    for its turn; then, when the last one failed, when. "" when they are up to date or
    there is no state (a year never computed says so elsewhere)."""
    since = state.behind_since if state is not None else None
    if since is None:
        return ""
    if state.pending:
        note = _("Số liệu có thể chưa cập nhật từ %(since)s (đang chờ tính lại).")
    else:
        note = _("Số liệu có thể chưa cập nhật từ %(since)s.")
    note %= {"since": moment(since)}
    if state.failed:
        failed = _("Lần tính lại gần nhất bị lỗi lúc %(when)s.") % {"when": moment(state.failed_at)}
        note = f"{note} {failed}"
    return note
