"""Public, no login: the survey of a receiving desk (CONTRACT.md: /s/<unit code>/), its
thank-you page, the desk's published results and the QR code; the kiosk at the desk and
its enrolment, and the printable poster, for signed-in users."""

from django.urls import path

from surveys.views import kiosk, poster, public

urlpatterns = [
    path("<slug:code>/", public.survey, name="survey"),
    path("<slug:code>/thanks/", public.thanks, name="thanks"),
    path("<slug:code>/results/", public.results, name="public_results"),
    path("<slug:code>/qr.svg", poster.qr_svg, name="qr"),
    path("<slug:code>/poster/", poster.poster, name="poster"),
    path("<slug:code>/kiosk/", kiosk.kiosk, name="kiosk"),
    path("<slug:code>/kiosk/thanks/", kiosk.kiosk_thanks, name="kiosk_thanks"),
    path("<slug:code>/kiosk/enrol/", kiosk.kiosk_enrol, name="kiosk_enrol"),
]
