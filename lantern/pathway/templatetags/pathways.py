"""`{% child_pathway %}`: a child's pathways on the pathway page, drawn by
`lantern.pathway.drawn.child_pathway_html` as the child's record draws them, with each
pathway's required meetings, tracked responses and adult safeguarding referrals (and the forms
the page gives them) drawn by pathway/_pathway_parts.html in the page's own context."""

from django import template
from django.utils.safestring import SafeString

from lantern.pathway import drawn

register = template.Library()


@register.simple_tag(takes_context=True)
def child_pathway(context) -> SafeString:
    parts_template = context.template.engine.get_template("pathway/_pathway_parts.html")

    def parts(pathway) -> str:
        with context.push(pathway=pathway):
            return parts_template.render(context)

    return drawn.child_pathway_html(context["pathways"], context.get("current_pathway"),
                                    context.get("other_work"), context.get("now"), parts)
