"""Drafts: nothing typed is lost (issue 15). Saved as the user types, offered back only to
their author, expired after DRAFT_DAYS, and a form sent after the session ended is kept."""

import json
from datetime import timedelta

import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lantern import testing
from lantern.foundation import drafts, grants
from lantern.foundation.models import AuditEvent, Draft
from lantern.testing import UserFactory

PAGE = "/children/add/"  # a long form about no child yet
TEXT = "Seen getting into a silver car with two adult men near the station."


def _save(client, page=PAGE, action=PAGE, text=TEXT):
    return client.post("/drafts/", {
        "page": page, "action": action,
        "fields": json.dumps({"narrative": [text], "urgent": ["no"],
                              "csrfmiddlewaretoken": ["x"]}),
    })


def _signed_in(user):
    return testing.sign_in_client(Client(), user)


def _offered(client, page=PAGE) -> list[dict]:
    return client.get("/drafts/", {"page": page}).json()["drafts"]


def _concern(**changes):
    today = timezone.localdate()
    data = {
        "observed_on_day": today.day, "observed_on_month": today.month,
        "observed_on_year": today.year, "observed_time": "15:20",
        "narrative": TEXT, "child_words": "", "urgent": "no",
    }
    data.update(changes)
    return data


def test_typing_saves_a_draft_for_its_author(p, as_user):
    response = _save(as_user(p.alice))
    draft = Draft.objects.get()
    assert response.status_code == 200
    assert (draft.author, draft.page, draft.action) == (p.alice, PAGE, PAGE)
    assert draft.fields == {"narrative": [TEXT], "urgent": ["no"]}


def test_saving_again_replaces_the_draft(p, as_user):
    client = as_user(p.alice)
    _save(client, text="first")
    _save(client, text="second")
    assert Draft.objects.get().fields["narrative"] == ["second"]


def test_the_author_is_offered_their_draft_back(p, as_user):
    client = as_user(p.alice)
    _save(client)
    [offered] = _offered(client)
    assert offered["fields"]["narrative"] == [TEXT]
    assert offered["source"] == "typing"


def test_nobody_else_is_offered_the_draft(p, as_user):
    _save(as_user(p.alice))
    assert _offered(_signed_in(p.bob)) == []


def test_a_colleague_in_the_same_agency_is_not_offered_the_draft(p, as_user):
    colleague = UserFactory(username="alice2", role=p.alice.role, agency=p.alice.agency)
    _save(as_user(p.alice))
    assert _offered(_signed_in(colleague)) == []


def test_a_draft_is_offered_only_on_its_own_page(p, as_user):
    client = as_user(p.alice)
    _save(client)
    assert _offered(client, page="/children/2/concerns/new/") == []


def test_saving_is_audited_without_the_text(p, as_user):
    _save(as_user(p.alice))
    event = AuditEvent.objects.get(action="draft_save")
    assert event.actor == p.alice
    assert TEXT not in json.dumps(event.changes) + event.summary + event.reason
    assert event.changes["fields"]["new"] == ["narrative", "urgent"]


def test_a_draft_that_is_not_json_is_refused_with_400(p, as_user):
    response = as_user(p.alice).post("/drafts/", {"page": PAGE, "action": PAGE,
                                                  "fields": "{not json"})
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_drafts_need_a_signed_in_user(p, client):
    response = _save(client)
    assert response.status_code == 401
    assert not Draft.objects.exists()


def test_discarding_deletes_the_draft_and_is_audited(p, as_user):
    client = as_user(p.alice)
    _save(client)
    client.post("/drafts/discard/", {"page": PAGE, "action": PAGE})
    assert not Draft.objects.exists()
    assert AuditEvent.objects.filter(action="draft_delete", actor=p.alice).exists()


def test_an_expired_draft_is_not_offered(p, as_user, settings):
    settings.DRAFT_DAYS = 3
    client = as_user(p.alice)
    _save(client)
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        # (the session has long ended too: the query the page's script calls is asked)
        assert not drafts.for_page(p.alice, PAGE)


def test_a_draft_within_its_days_is_still_offered(p, as_user, settings):
    settings.DRAFT_DAYS = 3
    client = as_user(p.alice)
    _save(client)
    with time_machine.travel(timezone.now() + timedelta(days=2, hours=23)):
        assert len(drafts.for_page(p.alice, PAGE)) == 1


def test_lantern_work_deletes_expired_drafts_only(p, as_user, settings):
    settings.DRAFT_DAYS = 3
    _save(as_user(p.alice), page="/old/", action="/old/")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        _save(as_user(p.alice), page="/new/", action="/new/")
    with time_machine.travel(timezone.now() + timedelta(days=3, minutes=1)):
        call_command("work", "--once")
    assert list(Draft.objects.values_list("page", flat=True)) == ["/new/"]
    assert AuditEvent.objects.filter(action="draft_purge").exists()


def test_sending_the_form_deletes_its_draft(p, child, as_user):
    client = as_user(p.alice)
    page = f"/children/{child.pk}/concerns/new/"
    _save(client, page=page, action=page)
    response = client.post(page, _concern(_draft="1"), HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_a_form_with_errors_keeps_its_draft(p, child, as_user):
    client = as_user(p.alice)
    page = f"/children/{child.pk}/concerns/new/"
    _save(client, page=page, action=page)
    client.post(page, _concern(_draft="1", narrative=""), HTTP_REFERER=f"http://testserver{page}")
    assert Draft.objects.exists()


# --- A form sent after the session ended ---------------------------------------------------

def test_a_form_sent_after_the_session_ended_is_kept_for_its_author(p, child, client):
    page = f"/children/{child.pk}/concerns/new/"
    response = client.post(page, _concern(_author=drafts.author_token(p.alice)),
                           HTTP_REFERER=f"http://testserver{page}")
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={page}"
    assert (draft.author, draft.source) == (p.alice, Draft.Source.SIGNED_OUT)
    assert draft.fields["narrative"] == [TEXT]
    assert "csrfmiddlewaretoken" not in draft.fields and "_author" not in draft.fields


def test_after_signing_in_again_the_author_gets_the_kept_form(p, child, client):
    page = f"/children/{child.pk}/concerns/new/"
    client.post(page, _concern(_author=drafts.author_token(p.alice)))
    [offered] = _offered(_signed_in(p.alice), page=page)
    assert offered["source"] == "signed_out"
    assert offered["fields"]["narrative"] == [TEXT]


def test_a_kept_form_is_never_offered_to_whoever_signs_in_next(p, child, client):
    page = f"/children/{child.pk}/concerns/new/"
    client.post(page, _concern(_author=drafts.author_token(p.alice)))
    assert _offered(_signed_in(p.bob), page=page) == []


def test_a_forged_author_token_keeps_nothing(p, child, client):
    page = f"/children/{child.pk}/concerns/new/"
    token = drafts.author_token(p.alice)
    response = client.post(page, _concern(_author=token[:-2] + "xx"))
    assert response.status_code == 302
    assert not Draft.objects.exists()


def test_without_the_script_the_cookie_of_the_last_sign_in_names_the_author(p, child, as_user):
    client = as_user(p.alice)
    client.get("/")  # the response sets the signed cookie naming who signed in here
    Session.objects.all().delete()  # the session ends on the server
    page = f"/children/{child.pk}/concerns/new/"
    client.post(page, _concern())
    assert Draft.objects.get().author == p.alice


def test_after_signing_out_nobody_at_the_browser_can_plant_a_draft_for_the_last_user(
        p, child, as_user):
    client = as_user(p.alice)
    client.get("/")  # the signed cookie naming her
    client.post("/sign-out/")
    page = f"/children/{child.pk}/concerns/new/"
    client.post(page, _concern())
    assert not Draft.objects.exists()


def test_passwords_are_never_kept(p, child, client):
    page = f"/children/{child.pk}/concerns/new/"
    client.post(page, _concern(_author=drafts.author_token(p.alice), new_password="secret"))
    assert "new_password" not in Draft.objects.get().fields


def test_a_form_with_a_stale_csrf_token_is_kept_and_put_back(p, child):
    client = _signed_in(p.alice)
    client.handler.enforce_csrf_checks = True
    page = f"/children/{child.pk}/concerns/new/"
    response = client.post(page, _concern(_author=drafts.author_token(p.alice),
                                          csrfmiddlewaretoken="stale"))
    assert response.status_code == 302
    assert response["Location"] == page
    assert Draft.objects.get().source == Draft.Source.SIGNED_OUT


def test_a_stale_form_drawn_for_someone_else_is_not_put_back_to_the_signed_in_user(p, child):
    client = _signed_in(p.bob)
    client.handler.enforce_csrf_checks = True
    page = f"/children/{child.pk}/concerns/new/"
    response = client.post(page, _concern(_author=drafts.author_token(p.alice),
                                          csrfmiddlewaretoken="stale"))
    assert response.status_code == 403
    assert Draft.objects.get().author == p.alice
    assert _offered(client, page=page) == []


def test_stay_signed_in_renews_the_session(p, as_user):
    response = as_user(p.alice).post("/session/keep-alive/")
    assert response.json()["signed_in"] is True


def test_stay_signed_in_after_the_session_ended_says_so(p, client):
    assert client.post("/session/keep-alive/").status_code == 401


# --- The page: the timeout warning and the author token -------------------------------------

def test_signed_in_pages_carry_the_timeout_warning_and_the_author_token(p, as_user, settings):
    settings.SESSION_COOKIE_AGE = 1800
    settings.SESSION_WARNING_SECONDS = 120
    body = as_user(p.alice).get("/").content.decode()
    assert 'data-session-seconds="1800" data-warning-seconds="120"' in body
    assert "Stay signed in" in body
    token = body.split('<meta name="lantern-author" content="')[1].split('"')[0]
    assert drafts.author_from_token(token) == p.alice


def test_the_sign_in_page_has_no_warning_and_no_token(client):
    body = client.get("/sign-in/").content.decode()
    assert "lantern-author" not in body
    assert "Stay signed in" not in body


def test_a_role_with_an_acronym_keeps_its_capitals_in_the_identity_line(p, as_user):
    body = as_user(p.maria).get("/").content.decode()
    assert "CSE team manager, Northbridge" in body


# --- A draft about a child the author may no longer see ------------------------------------

def test_a_draft_is_withheld_once_the_authors_access_to_the_child_ends(p, child, as_user):
    access = testing.give_access(child, p.bob)
    client = as_user(p.bob)
    page = f"/children/{child.pk}/concerns/new/"
    _save(client, page=page, action=page)
    assert len(_offered(client, page=page)) == 1
    grants.revoke(access, by=p.fiona, reason="No longer involved")
    assert _offered(client, page=page) == []
    assert AuditEvent.objects.filter(action="draft_withhold", actor=p.bob).exists()
    assert Draft.objects.filter(author=p.bob).exists()  # kept, not offered: it expires


def test_a_draft_comes_back_if_access_is_given_again(p, child, as_user):
    access = testing.give_access(child, p.bob)
    client = as_user(p.bob)
    page = f"/children/{child.pk}/concerns/new/"
    _save(client, page=page, action=page)
    grants.revoke(access, by=p.fiona, reason="No longer involved")
    testing.give_access(child, p.bob, reason="Involved again")
    assert len(_offered(client, page=page)) == 1


def test_a_draft_on_a_page_about_a_concern_follows_the_concerns_child(p, child, as_user):
    access = testing.give_access(child, p.bob)
    concern = child.concerns.get()
    client = as_user(p.bob)
    page = f"/concerns/{concern.pk}/"
    _save(client, page=page, action=page)
    assert len(_offered(client, page=page)) == 1
    grants.revoke(access, by=p.fiona, reason="No longer involved")
    assert _offered(client, page=page) == []


def test_a_kept_form_naming_the_child_in_a_field_is_withheld_too(p, child, as_user):
    access = testing.give_access(child, p.bob)
    client = as_user(p.bob)
    client.post("/drafts/", {"page": "/intelligence/new/", "action": "/intelligence/new/",
                             "fields": json.dumps({"text": [TEXT], "child": [str(child.pk)]})})
    assert len(_offered(client, page="/intelligence/new/")) == 1
    grants.revoke(access, by=p.fiona, reason="No longer involved")
    assert _offered(client, page="/intelligence/new/") == []
