from lantern import testing
from lantern.foundation.models import AuditEvent


def test_finds_a_child_despite_a_misspelling(p, child, as_user):
    response = as_user(p.alice).get("/children/", {"name": "Jayde Exampel"})
    assert response.status_code == 200
    assert child.full_name in response.content.decode()


def test_finds_a_child_by_an_alias(p, as_user):
    jade = testing.make_child(p.alice, aliases=["Jayjay Smith"])
    response = as_user(p.alice).get("/children/", {"name": "jayjay smith"})
    assert jade.full_name in response.content.decode()


def test_finds_a_child_by_date_of_birth(p, child, as_user):
    dob = child.date_of_birth
    response = as_user(p.alice).get(
        "/children/",
        {"date_of_birth_day": dob.day, "date_of_birth_month": dob.month,
         "date_of_birth_year": dob.year},
    )
    assert child.full_name in response.content.decode()


def test_a_teacher_from_another_school_cannot_find_the_child(p, child, as_user):
    response = as_user(p.bob).get("/children/", {"name": "Jade Example"})
    assert child.get_absolute_url() not in response.content.decode()
    assert "No children found" in response.content.decode()


def test_search_needs_a_name_or_date_of_birth(p, as_user):
    response = as_user(p.alice).get("/children/", {"name": ""})
    assert "Enter a name or a date of birth" in response.content.decode()


def test_an_impossible_date_of_birth_is_explained_and_kept(p, as_user):
    response = as_user(p.alice).get(
        "/children/",
        {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2012"},
    )
    body = response.content.decode()
    assert "Date of birth must be a real date" in body
    assert 'value="31"' in body


def test_every_search_is_audited_with_its_results(p, child, as_user):
    as_user(p.alice).get("/children/", {"name": "Jade"})
    event = AuditEvent.objects.filter(action="search").get()
    assert event.actor == p.alice
    assert event.changes["children"] == [child.pk]


def test_htmx_search_returns_only_the_results(p, child, as_user):
    response = as_user(p.alice).get(
        "/children/", {"name": "Jade"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="search-results"')
    assert "<html" not in body


def test_analysts_cannot_search_for_children(p, as_user):
    assert as_user(p.ana).get("/children/", {"name": "Jade"}).status_code == 403
