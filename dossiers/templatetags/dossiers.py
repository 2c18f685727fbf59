"""The links from a receiving desk to its dossiers resolved late (``dossiers:late``),
of the quarter shown or of each quarter of the year."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.validators import slug_re
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

# A unit's code that is a slug, as unit codes are, stands for itself in a URL and in
# HTML: its links are the ones of any other code with the code put in.
_PLACEHOLDER = "UNITCODE0PLACEHOLDER"


@register.simple_tag
def late_links(unit_code: str, year: int, quarter: int) -> str:
    """ "Hồ sơ trễ hạn: quý 2", linked to that quarter's late dossiers of the unit; a
    link a quarter when ``quarter`` is 0 (the year). Written here rather than in an
    included template: the indicator page has a row a unit, and the links of one
    period are written once a language, the unit's code put in."""
    if not slug_re.match(unit_code):
        return _late_links(unit_code, year, quarter)
    urls = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    written = _written(get_language(), urls, year, quarter)
    return mark_safe(written.replace(_PLACEHOLDER, unit_code))


@lru_cache(maxsize=256)
def _written(_language: str, _urls: tuple, year: int, quarter: int) -> SafeString:
    """The links of a period with a placeholder for the unit's code (the active
    language, the URL configuration and the script prefix are the cache's key)."""
    return _late_links(_PLACEHOLDER, year, quarter)


def _late_links(unit_code: str, year: int, quarter: int) -> SafeString:
    if quarter:
        links = format_html(
            '<a href="{}">{}</a>',
            reverse("dossiers:late", args=[unit_code, year, quarter]),
            _("quý %(quarter)s") % {"quarter": quarter},
        )
    else:
        links = format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("dossiers:late", args=[unit_code, year, q]), _("quý %(q)s") % {"q": q})
                for q in (1, 2, 3, 4)
            ),
        )
    return format_html('<span class="late-links">{} {}</span>\n', _("Hồ sơ trễ hạn:"), links)
