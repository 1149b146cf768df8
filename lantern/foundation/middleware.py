"""Middleware every page goes through: headers for pages that carry children's data, and the
request remembered for the audit trail."""

from . import audit


class SensitivePageHeadersMiddleware:
    """Pages for signed-in users are never cached by the browser or a proxy (they hold
    special-category data about children), and powerful browser features are switched off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        return response


class AuditContextMiddleware:
    """Remembers the request being served, so an audit row written deep inside an action
    still says where the access came from (lantern.foundation.audit.current_request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            audit.current_request.reset(token)
