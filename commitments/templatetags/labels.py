"""Codes shown in the reader's language: a unit's sector."""

from __future__ import annotations

from django import template

from commitments.models import sector_name as _sector_name

register = template.Library()


@register.filter
def sector_name(code: str) -> str:
    """A sector code in words, in the active language ("Giáo dục", "Education")."""
    return _sector_name(code) if code else ""
