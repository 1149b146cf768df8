from django.db.models import Q

from lantern import testing
from lantern.domain import names
from lantern.foundation.access import visible_children
from lantern.foundation.models import AuditEvent
from lantern.people import search


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


def _candidates_as_the_orm_reads_them(user, name: str, born) -> set[int]:
    """What the search asked the database for before it was compiled once a role."""
    query = names.normalise(name)
    condition = Q()
    if query:
        condition |= Q(search_text__contains=query)
        for key in names.phonetic_keys([query]):
            condition |= Q(search_keys__contains=f" {key} ")
    if born:
        condition |= Q(date_of_birth=born)
    return set(visible_children(user).filter(condition, merged_into=None)
               .values_list("pk", flat=True))


def test_the_compiled_search_reads_what_each_person_may_see(p, child):
    """For everyone and every kind of search (a name, a date of birth, both, LIKE's
    wildcards), the compiled search's candidates are the ORM's: the children they may see."""
    east = testing.make_child(p.eve, given_names="Jayde", family_name="Exampel",
                              date_of_birth=child.date_of_birth)
    testing.make_child(p.alice, given_names="Per%cy", family_name="Under_score")
    testing.give_access(east, p.alice, by=p.eve)
    searches = [("Jade Example", None), ("", child.date_of_birth),
                ("Jayde", child.date_of_birth), ("per%cy", None), ("under_score", None),
                ("%", None), ("_", None)]
    for user in [*p.all_users().values(), p.dev]:
        user.refresh_from_db()
        for name, born in searches:
            expected = _candidates_as_the_orm_reads_them(user, name, born)
            got = {row[0] for row in search.candidate_rows(user, names.normalise(name), born)}
            assert got == expected, (user.username, name, born)
