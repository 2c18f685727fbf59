"""The survey's pages: ``public`` (no login: the form, the thank-you page, a desk's
published results), ``kiosk`` (a tablet at the desk and its enrolment), ``poster`` (the
printable poster and the QR code), and the guards against abuse they share (``guards``)."""

from surveys.views import guards, kiosk, poster, public

__all__ = ["guards", "kiosk", "poster", "public"]
