"""What a serving process does once it has loaded Lantern, before its first request (in the
site: it loads the URL configuration and, through it, every app)."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Everything loaded so far (Django, the apps and their models, the URL configuration and
    every view it imports) set aside from the cyclic garbage collector (`gc.freeze`).

    A full collection otherwise walks all of it, about 150,000 objects, each time it runs:
    90 ms at 100,000 children on the benchmark's machine, once every few hundred requests,
    landing on whichever request is running (issue 18: the one slow request in twenty behind
    a page's p95). Objects set aside are still freed when nothing refers to them; the
    collector goes on finding cycles among what requests make. Garbage already made is
    collected first, so none is set aside."""
    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and every view
    gc.collect()
    gc.freeze()
