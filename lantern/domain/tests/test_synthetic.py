from lantern.domain import normalise, synthetic


def test_the_generator_is_repeatable():
    assert synthetic.generate(20, seed=3)[1] == synthetic.generate(20, seed=3)[1]


def test_mentions_vary_as_agencies_write_them():
    _people, mentions = synthetic.generate(200, seed=4)
    seen = {v for m in mentions for v in m.variations}
    assert {"nickname", "family name misspelt", "names swapped", "year of birth only",
            "month and year of birth only", "phone written differently"} <= seen


def test_every_written_phone_normalises_to_the_persons_number():
    people, mentions = synthetic.generate(50, seed=2)
    numbers = {p.id: {normalise.phone(n) for n in p.phones} for p in people}
    for m in mentions:
        if m.phone:
            assert normalise.phone(m.phone) in numbers[m.person_id]


def test_every_written_registration_normalises_to_the_persons_vehicle():
    people, mentions = synthetic.generate(50, seed=2)
    plates = {p.id: normalise.registration(p.registration) for p in people}
    for m in mentions:
        if m.registration:
            assert normalise.registration(m.registration) == plates[m.person_id]
