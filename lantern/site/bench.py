"""`lantern bench pages`: how long Lantern's pages take against the floor (issue 18).

Each page is requested in-process with Django's test Client against the configured database,
signed in with both factors as one of the generated users (`lantern generate`). The floor is
the least a signed-in page costs (`/floor`: every middleware, the session, the second factor,
nothing else); each page is timed alternately with the floor in the same run, so the ratio
holds however busy the machine is. Figures are printed, never asserted.

The pages are data (PAGES): a name, which generated user opens it, and its address with
placeholders filled from the data (`{typical_child}`, `{heavy_child}`, `{search_name}`; `{weekly}`
and `{overdue_section}` name a tasking list and section; `{typical_report}` and
`{typical_trigger}` are the first area's first intelligence report and trigger (a network of
children), `{top_subject}` the subject linked to most of its children). A page
whose URL name Lantern does not have (an app not built yet) is reported as skipped.
"""

import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.foundation.models import Area, Child, User
from lantern.intelligence.models import EntityKind, IntelligenceReport, Link, Trigger

from .generate import PREFIX


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # the generated account's suffix in the first area, e.g. "frontdoor-1"
    url_name: str
    query: str = ""
    kwargs: tuple[tuple[str, str], ...] = ()


PAGES = [
    Page("layout", "frontdoor-1", "layout"),
    Page("home", "frontdoor-1", "home"),
    # Every role's home page (the front door's above): the social worker holding a fifth of
    # the area's children, and the CSE team manager.
    Page("home_social_worker_heavy", "sw-heavy", "home"),
    Page("home_cse_manager", "csemanager", "home"),
    Page("child_record_typical", "frontdoor-1", "child", kwargs=(("child_id", "typical_child"),)),
    Page("child_record_heavy", "frontdoor-1", "child", kwargs=(("child_id", "heavy_child"),)),
    Page("work_mine", "frontdoor-1", "work", query="tray=mine"),
    Page("work_team", "csemanager", "work", query="tray=team"),
    Page("child_search", "frontdoor-1", "people:find", query="name={search_name}"),
    Page("referrals", "frontdoor-1", "pathway:tray"),
    # Monitoring (issue 17): every page without an object of its own, as the role that uses it.
    Page("monitoring_data_set_analyst", "analyst", "monitoring:data_set"),
    Page("monitoring_data_set_board", "board", "monitoring:data_set"),
    Page("monitoring_data_set_csv", "board", "monitoring:data_set", query="format=csv"),
    Page("monitoring_data_quality", "board", "monitoring:data_quality"),
    Page("monitoring_reviews", "board", "monitoring:reviews"),
    Page("monitoring_review_new", "board", "monitoring:review_new"),
    Page("monitoring_dip_samples", "board", "monitoring:dip_samples"),
    Page("tasking_daily", "csemanager", "monitoring:tasking", query="list=daily"),
    Page("tasking_weekly", "csemanager", "monitoring:tasking", query="list=weekly"),
    # A section of the list alone, its first page of 50 (the list shows ten of each).
    Page("tasking_section", "csemanager", "monitoring:tasking_section",
         kwargs=(("cadence", "weekly"), ("section", "overdue_section"))),
    Page("cse_leads", "frontdoor-1", "monitoring:leads"),
    # Intelligence (issue 18): the pages a police officer or CSE team manager opens daily.
    Page("intelligence_subjects", "csemanager", "intelligence:subjects"),
    Page("intelligence_reports", "police-1", "intelligence:index"),
    Page("intelligence_report", "police-1", "intelligence:report",
         kwargs=(("report_id", "typical_report"),)),
    Page("intelligence_subject_chart", "police-1", "intelligence:chart",
         query="focus=e{top_subject}"),
    Page("intelligence_triggers", "csemanager", "intelligence:triggers"),
    Page("intelligence_network", "csemanager", "intelligence:trigger",
         kwargs=(("trigger_id", "typical_trigger"),)),
]
FLOOR = Page("floor", "frontdoor-1", "floor")


class NoGeneratedData(Exception):
    pass


def _placeholders() -> dict[str, str]:
    area = Area.objects.filter(slug=f"{PREFIX}area-1").first()
    if area is None:
        raise NoGeneratedData("No generated data here: run `lantern generate --children N`.")
    children = Child.objects.filter(area=area).order_by("pk")
    typical = children.first()
    if typical is None:
        raise NoGeneratedData("No generated children here: run `lantern generate --children N`.")
    heavy = (children.annotate(entries=Count("chronology")).order_by("-entries", "pk")
             .values_list("pk", flat=True).first())
    # The first area's first report, the subject linked to most of its children (the top of
    # a disruption ranking, the heaviest chart), and first network (trigger):
    # generated for every area however few children (lantern.site.generate).
    report = IntelligenceReport.objects.filter(area=area).order_by("pk").first()
    subject = (Link.objects.filter(child__area=area, entity__kind=EntityKind.SUBJECT)
               .values("entity_id").annotate(n=Count("child", distinct=True))
               .order_by("-n", "entity_id").values_list("entity_id", flat=True).first())
    trigger = Trigger.objects.filter(areas=area).order_by("pk").values_list("pk", flat=True).first()
    return {"typical_child": str(typical.pk), "heavy_child": str(heavy),
            "search_name": typical.family_name, "weekly": "weekly",
            "overdue_section": "overdue-interviews",
            "typical_report": str(report.pk) if report else "",
            "top_subject": str(subject or ""), "typical_trigger": str(trigger or "")}


def _url(page: Page, values: dict[str, str]) -> str | None:
    try:
        path = reverse(page.url_name, kwargs={k: values[v] for k, v in page.kwargs})
    except NoReverseMatch:
        return None
    query = page.query.format(**values)
    return f"{path}?{query}" if query else path


def _client(username: str) -> Client:
    """A client signed in with both factors, as after the real sign-in."""
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
    session.save()
    return client


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _time(client: Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - started) * 1000, response.status_code


def _measure(client: Client, url: str, floor_url: str, runs: int) -> dict:
    """Alternate page and floor `runs` times after one warm-up of each; count the page's
    queries once more at the end."""
    _time(client, floor_url)
    _time(client, url)
    page_ms, floor_ms, statuses = [], [], set()
    for _ in range(runs):
        ms, _status = _time(client, floor_url)
        floor_ms.append(ms)
        ms, status = _time(client, url)
        page_ms.append(ms)
        statuses.add(status)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    with CaptureQueriesContext(connection) as floor_captured:
        client.get(floor_url)
    p50, p95 = statistics.median(page_ms), _percentile(page_ms, 0.95)
    f50, f95 = statistics.median(floor_ms), _percentile(floor_ms, 0.95)
    return {
        "status": sorted(statuses),
        "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "queries": len(captured),
        "floor_p50_ms": round(f50, 1), "floor_p95_ms": round(f95, 1),
        "floor_queries": len(floor_captured),
        "ratio_p50": round(p50 / f50, 2) if f50 else None,
        "ratio_p95": round(p95 / f95, 2) if f95 else None,
    }


def _ensure_secret_key() -> None:
    """Production settings without a key have an empty one; this process's sessions need one
    (they live only as long as the run)."""
    try:
        settings.SECRET_KEY  # noqa: B018 - raises when empty
    except ImproperlyConfigured:
        settings.SECRET_KEY = secrets.token_urlsafe(50)


def _bench_settings() -> override_settings:
    # In-process requests: the test client's host, no HTTPS redirect, plain static files (no
    # collectstatic manifest needed); the pages and their queries are the production ones:
    # DEBUG off (no query log) and audit rows sealed by the sequencer, as in production, even
    # when the command runs with DEBUG=1 for the development keys.
    return override_settings(
        DEBUG=False, AUDIT_SEALING="sequencer",
        ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False,
        STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    )


def query_counts() -> dict[str, int]:
    """Each page's number of queries (after one request to warm it), for tests that the
    count does not grow with the data."""
    values = _placeholders()
    counts = {}
    with _bench_settings():
        for page in [FLOOR, *PAGES]:
            url = _url(page, values)
            if url is None:
                continue
            client = _client(f"{PREFIX}1-{page.user}")
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            counts[page.name] = len(captured)
    return counts


def bench_pages(*, runs: int = 20, only: list[str] | None = None, slowest: bool = False,
                progress: Callable[[str], None] | None = None) -> dict:
    values = _placeholders()
    _ensure_secret_key()
    floor_url = _url(FLOOR, values)
    if floor_url is None:
        raise NoGeneratedData("The floor page is missing: Lantern's URLs are incomplete.")
    results = []
    with _bench_settings():
        clients: dict[str, Client] = {}
        for page in PAGES:
            if only and page.name not in only:
                continue
            url = _url(page, values)
            if url is None:
                results.append({"name": page.name, "skipped": "no such page in this Lantern"})
                continue
            if progress:
                progress(page.name)
            username = f"{PREFIX}1-{page.user}"
            clients.setdefault(username, _client(username))
            results.append({"name": page.name, "url": url, "user": username,
                            **_measure(clients[username], url, floor_url, runs)})
    if slowest:
        results.sort(key=lambda r: -float(r.get("ratio_p95") or 0))
    return {
        "database": connection.vendor,
        "children": Child.objects.count(),
        "runs": runs,
        "pages": results,
    }


# Accounts that see every child of the first generated area, for the load test's sessions.
LOAD_USERS = ["frontdoor-1", "frontdoor-2", "frontdoor-3", "frontdoor-4", "csemanager",
              "police-1", "police-2", "police-3"]


def sessions(count: int) -> dict:
    """`count` signed-in sessions (both factors given) of generated accounts, and the pages a
    load test should request with them (scripts/load-test). The sessions are ordinary ones
    in the session table and expire as any other; only generated accounts are used."""
    values = _placeholders()
    _ensure_secret_key()
    made = []
    for index in range(count):
        client = _client(f"{PREFIX}1-{LOAD_USERS[index % len(LOAD_USERS)]}")
        made.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return {"cookie": settings.SESSION_COOKIE_NAME, "sessions": made,
            "floor": _url(FLOOR, values),
            "child_record": _url(next(p for p in PAGES if p.name == "child_record_typical"),
                                 values)}
