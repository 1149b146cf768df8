"""`{% checked_text %}` draws plain text itself, without its template, when there is nothing to
mark (issue 18): the same HTML as the template draws, for any text, reader and mode."""

from types import SimpleNamespace

from django.template import Context, Template
from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.domain import language
from lantern.foundation.models import Role

READERS = [None, SimpleNamespace(is_authenticated=True, role=Role.CSE_MANAGER),
           SimpleNamespace(is_authenticated=True, role=Role.SOCIAL_WORKER)]
TAG = Template("{% checked_text text label=label printed=printed brief=brief %}")
texts = st.one_of(st.text(max_size=80),
                  st.sampled_from(["", "She chose to go.\nAt 3 <b>am</b> & later.",
                                   "Line one\r\nline two", "putting herself at risk"]))


def _template(text, reader, *, label, printed, brief) -> str:
    """What the template alone draws (before the tag drew plain text itself)."""
    reviewing = reader is not None and reader.role in {Role.CSE_MANAGER, Role.BOARD}
    pieces = language.segments(text) if reviewing else [language.Segment(text)]
    notes = {piece.number: piece.finding for piece in pieces if piece.finding}
    return render_to_string("foundation/_checked_text.html", {
        "pieces": pieces, "notes": [] if brief else sorted(notes.items()), "label": label,
        "printed": printed, "brief": brief})


@settings(max_examples=200, deadline=None)
@given(text=texts, reader=st.sampled_from(READERS), printed=st.booleans(),
       brief=st.booleans(), label=st.sampled_from(["", "what happened"]))
def test_the_tag_draws_what_its_template_draws(text, reader, printed, brief, label):
    drawn = TAG.render(Context({"text": text, "reader": reader, "label": label,
                                "printed": printed, "brief": brief}))
    assert drawn == _template(text, reader, label=label, printed=printed, brief=brief)
