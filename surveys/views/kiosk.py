"""Kiosk mode (máy khảo sát tại quầy): a tablet at a desk that shows the survey and
goes back to a fresh form after each answer. A director of the desk, or of a unit above
it, enrols the tablet from its own browser, which then keeps a long-lived signed cookie
naming the kiosk; a revoked kiosk's cookie no longer opens the form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from commitments import access
from commitments.models import Unit
from surveys import selectors, services
from surveys.models import Kiosk
from surveys.views import public

COOKIE = "surveys_kiosk"
COOKIE_SALT = "surveys.kiosk"
# A tablet stays enrolled until a director revokes it (about five years).
COOKIE_MAX_AGE = 5 * 365 * 24 * 60 * 60


def kiosk_of(request: HttpRequest, unit: Unit) -> Kiosk | None:
    """The live kiosk of ``unit`` that this browser's cookie names, or None (no cookie,
    a forged one, another desk's kiosk, a revoked one)."""
    try:
        value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    except signing.BadSignature:
        return None
    return selectors.kiosk_live(unit=unit, pk=int(value) if value and value.isdigit() else None)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    """The survey on the desk's kiosk (channel "kiosk"); on a browser that is not one of
    the desk's live kiosks, a page that says how to enrol it."""
    unit = public.desk_or_404(code)
    device = kiosk_of(request, unit)
    if device is None:
        return render(request, "surveys/kiosk_missing.html", {"unit": unit}, status=403)
    return public.survey_page(request, unit, kiosk=device)


@never_cache
@require_GET
def kiosk_thanks(request: HttpRequest, code: str) -> HttpResponse:
    return public.thanks_page(request, public.desk_or_404(code), kiosk=True)


def _directed_desk(request: HttpRequest, code: str) -> Unit:
    """The desk, for a director of it or of a unit above it (a superuser too); 403 for
    anyone else."""
    unit = public.desk_or_404(code)
    scope = access.user_scope(user=request.user)
    if not (scope.everything or unit.pk in scope.director_ids):
        raise PermissionDenied(_("Chỉ lãnh đạo của bộ phận này mới đăng ký được máy tại quầy."))
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_enrol(request: HttpRequest, code: str) -> HttpResponse:
    """The desk's kiosks, with a button to revoke each, and the form that makes this
    browser one of them. Enrolling signs the director out of this browser, which from
    then on serves citizens, and opens the kiosk's form."""
    unit = _directed_desk(request, code)
    if request.method == "POST" and "revoke" in request.POST:
        return _revoke(request, unit)
    name, error = request.POST.get("name", ""), None
    if request.method == "POST":
        try:
            device = services.kiosk_enroll(unit=unit, name=name, user=request.user)
        except services.SurveyRefused as refused:
            error = refused.message
        else:
            return _enrolled(request, unit, device)
    context = {
        "unit": unit,
        "kiosks": selectors.desk_kiosks(unit=unit),
        "this_kiosk": kiosk_of(request, unit),
        "name": name,
        "error": error,
    }
    return render(request, "surveys/kiosk_enrol.html", context)


def _enrolled(request: HttpRequest, unit: Unit, device: Kiosk) -> HttpResponse:
    logout(request)
    response = redirect("surveys:kiosk", code=unit.code)
    response.set_signed_cookie(
        COOKIE,
        str(device.pk),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        path="/s/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _revoke(request: HttpRequest, unit: Unit) -> HttpResponse:
    pk = request.POST.get("revoke", "")
    device = selectors.kiosk_live(unit=unit, pk=int(pk) if pk.isdigit() else None)
    if device is None:
        raise Http404(_("Không có máy tại quầy nào như vậy đang hoạt động."))
    services.kiosk_revoke(kiosk=device)
    messages.success(
        request,
        _("Đã thu hồi máy «%(name)s»: máy này không còn nhận phiếu khảo sát.")
        % {"name": device.name},
    )
    return redirect("surveys:kiosk_enrol", code=unit.code)
