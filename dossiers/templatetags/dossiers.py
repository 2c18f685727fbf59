"""The links from a receiving desk to its dossiers resolved late (``dossiers:late``),
of the quarter shown or of each quarter of the year."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def late_links(unit_code: str, year: int, quarter: int) -> str:
    """ "Hồ sơ trễ hạn: quý 2", linked to that quarter's late dossiers of the unit; a
    link a quarter when ``quarter`` is 0 (the year). Written here rather than in an
    included template: the indicator page has a row a unit."""
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
