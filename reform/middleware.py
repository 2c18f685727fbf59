"""Vietnamese first: the interface starts in Vietnamese whatever the browser prefers;
a user who picks English (the language switch sets a cookie) gets English. The REST
API (/api/v1/) follows the caller's Accept-Language."""

from django.conf import settings


class VietnameseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API answers in the caller's language (Accept-Language): a system has no
        # language switch.
        api = request.path_info.startswith("/api/v1/")
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not api:
            # Without a choice, LocaleMiddleware falls back to LANGUAGE_CODE ("vi").
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
