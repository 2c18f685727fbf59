"""A desk's poster (áp phích) to print in A4 or A5 and put up at the desk: its name, a
call to answer in Vietnamese and English, and the QR code of its survey, drawn as SVG on
the server (segno) so that it stays sharp at any print size. The QR code alone is also
served as an SVG file, for receipts and the desk's own documents."""

from __future__ import annotations

import io

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from commitments import access
from surveys.views import public

SIZES = ("a4", "a5")


def survey_url(request: HttpRequest, code: str) -> str:
    """The absolute address of a desk's survey, as this request reaches the site."""
    return request.build_absolute_uri(reverse("surveys:survey", args=[code]))


def qr_code(url: str) -> segno.QRCode:
    """The QR code of an address; error correction "M" or better (segno raises it when
    the code's size allows), so a scratched poster still scans."""
    return segno.make(url, error="m", micro=False)


@login_required
@require_GET
def poster(request: HttpRequest, code: str) -> HttpResponse:
    """The printable poster of a desk (``?size=a4`` or ``a5``), for a user who may see
    the desk."""
    unit = public.desk_or_404(code)
    if unit not in access.user_scope(user=request.user):
        raise PermissionDenied(_("Bạn không xem được bộ phận này."))
    size = request.GET.get("size", "a4")
    size = size if size in SIZES else "a4"
    url = survey_url(request, unit.code)
    svg = qr_code(url).svg_inline(
        border=4,
        omitsize=True,
        title=_("Mã QR của phiếu khảo sát: %(url)s") % {"url": url},
        svgclass="qr",
        lineclass="qr-line",
    )
    context = {
        "unit": unit,
        "size": size,
        "sizes": SIZES,
        "url": url,
        "results_url": request.build_absolute_uri(
            reverse("surveys:public_results", args=[unit.code])
        ),
        # segno's own markup: an <svg> with a <title> (escaped) and one <path>.
        "qr": mark_safe(svg),
    }
    return render(request, "surveys/poster.html", context)


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code of a desk's survey as an SVG file (public: it only holds the
    survey's address)."""
    unit = public.desk_or_404(code)
    buffer = io.BytesIO()
    qr_code(survey_url(request, unit.code)).save(
        buffer, kind="svg", scale=10, border=4, light="#fff", title=unit.code
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="qr-{unit.code}.svg"'
    return response
