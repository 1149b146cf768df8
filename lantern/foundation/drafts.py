"""Drafts: nothing typed into a long form is lost (issue 15). Every write to a draft goes
through here and is audited like any write, naming the form and its fields but never what was
typed. A draft is only ever read back by its author.

Two ways a draft is made:
- while typing: the page's script (foundation/static/foundation/drafts.js) posts the form's
  fields a couple of seconds after the last key press;
- when a form is sent after the session ended: the sign-in redirect (`KeepFormLoginRequired`)
  or the CSRF failure page keeps what was sent, for the user who was signed in when the page
  was drawn, and after sign-in the page puts it back for them to check and send.

A form is known by the page it was on and the address it posts to; a signed author token in
the page (or, without JavaScript, a signed cookie) says whose it is when there is no session.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from . import audit
from .access import visible_children
from .http import parse_id
from .models import Draft, User

AUTHOR_SALT = "lantern.drafts.author"
AUTHOR_FIELD = "_author"  # the signed author token the script adds to every form
DRAFT_FIELD = "_draft"  # sent with a form that has a draft, so a successful submit deletes it
AUTHOR_COOKIE = "lantern_author"
# Never kept: the CSRF token, our own markers, and anything that looks like a secret.
_SKIPPED = {"csrfmiddlewaretoken", AUTHOR_FIELD, DRAFT_FIELD, "next"}
MAX_FIELDS_CHARS = 200_000


def expires_from(now):
    return now + timedelta(days=settings.DRAFT_DAYS)


def clean_fields(pairs) -> dict[str, list[str]]:
    """The fields worth keeping from (name, [values]) pairs: text the user typed or chose."""
    fields: dict[str, list[str]] = {}
    for name, values in pairs:
        name = str(name)[:100]
        if name in _SKIPPED or "password" in name.lower():
            continue
        fields[name] = [str(value) for value in values][:200]
    return fields


def address(path: str) -> str:
    """The path part of an address, as drafts are keyed."""
    return urlsplit(path).path[:300] or "/"


def author_token(user) -> str:
    return signing.dumps(user.pk, salt=AUTHOR_SALT)


def author_from_token(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=AUTHOR_SALT,
                           max_age=timedelta(days=settings.DRAFT_DAYS))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def save(author, page: str, action: str, fields: dict[str, list[str]], *,
         source: str = Draft.Source.TYPING) -> Draft:
    """Create or replace the author's draft of the form at `page` posting to `action`."""
    now = timezone.now()
    page, action = address(page), address(action)
    with transaction.atomic():
        draft, created = Draft.objects.update_or_create(
            author=author, page=page, action=action,
            defaults={"fields": fields, "source": source, "updated_at": now,
                      "expires_at": expires_from(now)},
        )
        # The field names only: what was typed stays out of the audit trail.
        audit.record(
            author if source == Draft.Source.TYPING else None,
            "draft_save" if source == Draft.Source.TYPING else "draft_keep",
            draft,
            summary=(f"Saved a draft of the form at {action}"
                     if source == Draft.Source.TYPING else
                     f"Kept a form {author.username} sent to {action} after their session "
                     "ended"),
            changes={"fields": {"old": None, "new": sorted(fields)}} if created else {},
        )
    return draft


# Which children a page is about, by the name of an id in its address ("concern_id" -> the
# concern's child; an id comes as a number, any other part of the address as its text). The
# site registers the features' (lantern.site.apps), so this layer names none of them;
# "child_id" is the foundation's own.
_SUBJECTS: dict[str, Callable[[int | str], Iterable[int]]] = {}


def register_subject(name: str, children_of: Callable[[int | str], Iterable[int]]) -> None:
    """Say which children a page is about when its address holds an id (or another part)
    called `name`."""
    _SUBJECTS[name] = children_of


def children_of_page(page: str, fields: dict | None = None) -> set[int]:
    """The children a form on `page` is about: the ids in its address, and a `child` field it
    sends (a page that takes the child from its query string)."""
    try:
        match = resolve(address(page))
    except Resolver404:
        match = None
    children: set[int] = set()
    for name, value in (match.kwargs.items() if match else ()):
        if name == "child_id":
            children.add(int(value))
        elif name in _SUBJECTS:
            children.update(_SUBJECTS[name](value))
    for value in (fields or {}).get("child", []):
        if (child_id := parse_id(value)) is not None:
            children.add(child_id)
    return children


def may_read(author, draft: Draft) -> bool:
    """A draft holds text about the children its page is about: its author reads it back only
    while they may still see every one of them. When their access ends (an allocation ended, a
    grant expired or was revoked, they moved area) the draft is withheld, like the record."""
    children = children_of_page(draft.page, draft.fields)
    if not children:
        return True
    return visible_children(author).filter(pk__in=children).count() == len(children)


def for_page(author, page: str) -> list[Draft]:
    """The author's drafts of forms on `page` that have not expired and that they may still
    read (`may_read`): nobody else's, ever."""
    drafts = list(Draft.objects.filter(author=author, page=address(page),
                                       expires_at__gt=timezone.now()).order_by("action"))
    readable = [draft for draft in drafts if may_read(author, draft)]
    for draft in drafts:
        if draft not in readable:
            audit.record(author, "draft_withhold", draft,
                         summary=f"Did not offer a draft of the form at {draft.action}: the "
                                 "author's access to the child has ended")
    return readable


def discard(author, page: str, action: str, *, submitted: bool = False) -> int:
    """Delete the author's draft of one form (they chose to, or the form was sent)."""
    with transaction.atomic():
        drafts = list(Draft.objects.filter(author=author, page=address(page),
                                           action=address(action)))
        for draft in drafts:
            audit.record(author, "draft_delete", draft,
                         summary=(f"Sent the form at {draft.action}; its draft was deleted"
                                  if submitted else
                                  f"Discarded a draft of the form at {draft.action}"))
            draft.delete()
    return len(drafts)


def purge_expired(now=None) -> int:
    """Delete every draft past its expiry (run by `lantern work`)."""
    now = now or timezone.now()
    with transaction.atomic():
        count, _ = Draft.objects.filter(expires_at__lte=now).delete()
        if count:
            audit.record(None, "draft_purge", summary=f"Deleted {count} expired draft(s)")
    return count


# --- Forms sent after the session ended ------------------------------------------------------

def _page_of(request: HttpRequest) -> str:
    """The page the form was on: the referring page when it is ours, else the form's address."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return address(referer)
    return address(request.path)


def _author_of(request: HttpRequest, *, csrf_intact: bool) -> User | None:
    if token := request.POST.get(AUTHOR_FIELD):
        return author_from_token(token)
    if csrf_intact:
        # Without the page's script there is no token. The cookie names who last signed in
        # with this browser; as the CSRF token is intact, nobody has signed in since the form
        # was drawn (signing in changes the token), so the form is theirs.
        pk = request.get_signed_cookie(AUTHOR_COOKIE, default=None, salt=AUTHOR_SALT)
        if pk and pk.isdigit():
            return User.objects.filter(pk=int(pk), is_active=True).first()
    return None


def keep_post(request: HttpRequest, *, csrf_intact: bool) -> Draft | None:
    """Keep a form sent without a session (or with a stale CSRF token) as its author's draft.
    Returns None when there is nothing to keep or nobody it can safely belong to."""
    if request.method != "POST" or request.headers.get("HX-Request"):
        return None
    if request.path.startswith(("/api/", "/drafts/", "/session/", "/sign-in/", "/sign-out/",
                                "/account/", "/admin/")):
        return None
    if not csrf_intact:
        origin = request.headers.get("Origin")
        if origin and not url_has_allowed_host_and_scheme(
                origin + "/", allowed_hosts={request.get_host()}):
            return None
    author = _author_of(request, csrf_intact=csrf_intact)
    if author is None:
        return None
    fields = clean_fields(request.POST.lists())
    if not any(value.strip() for values in fields.values() for value in values):
        return None
    return save(author, _page_of(request), request.path, fields, source=Draft.Source.SIGNED_OUT)
