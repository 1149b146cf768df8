"""Headers for pages that carry children's data."""


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
