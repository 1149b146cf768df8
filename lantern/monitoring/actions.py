"""Writes of the monitoring app: naming and removing an agency's CSE leads, each audited in
the same transaction."""

from django.db import transaction
from django.utils import timezone

from lantern.foundation import audit

from .models import CseLead

FIELDS = ("name", "job_title", "phone", "email")


@transaction.atomic
def add_lead(agency, *, by, name: str, job_title: str = "", phone: str = "",
             email: str = "") -> CseLead:
    lead = CseLead.objects.create(agency=agency, name=name, job_title=job_title, phone=phone,
                                  email=email, added_by=by)
    audit.record(by, "create", lead, summary=f"Named a CSE lead for {agency.name}",
                 changes=audit.diff(None, lead, FIELDS))
    return lead


@transaction.atomic
def remove_lead(lead: CseLead, *, by) -> CseLead:
    lead = CseLead.objects.select_for_update().get(pk=lead.pk)
    if lead.removed_at is None:
        lead.removed_at = timezone.now()
        lead.removed_by = by
        lead.save(update_fields=["removed_at", "removed_by"])
        audit.record(by, "delete", lead,
                     summary=f"Removed a CSE lead for {lead.agency.name}")
    return lead
