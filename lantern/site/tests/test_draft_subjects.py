"""The ids the site maps to children for drafts (lantern/site/draft_subjects.py) name real
models and lookups, and every id a URL of Lantern holds is either mapped or named as not
about a child."""

import re

from django.urls import get_resolver

from lantern.foundation import drafts
from lantern.site.draft_subjects import SUBJECTS, _children_of

# Ids in addresses that name no child, or only with a child_id or meeting_id beside them. A
# dip sample (issue 17) is read by auditors through a grant that ends with the audit, not by
# seeing the children, so its quality form's draft is its auditor's whatever they may see.
NOT_ABOUT_A_CHILD = {"child_id", "other_id", "merge_id", "review_id", "lead_id",
                     "proposal_id", "user_id", "item_id", "section_id", "sample_id"}


def test_every_mapping_runs(db):
    for label, lookup in SUBJECTS.values():
        assert _children_of(label, lookup)(999_999) == set()


def test_every_id_in_an_address_is_mapped_or_known_not_to_name_a_child():
    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
            else:
                names.update(re.findall(r"<id:(\w+)>", str(pattern.pattern)))

    walk(get_resolver().url_patterns)
    assert names - set(SUBJECTS) - NOT_ABOUT_A_CHILD == set()


def test_the_site_registers_its_mappings_with_drafts():
    assert set(SUBJECTS) <= set(drafts._SUBJECTS)
