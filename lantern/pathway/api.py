"""The partner API for referrals: the same access rule and audit as the pages."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from lantern.domain import sources
from lantern.foundation import audit
from lantern.foundation.access import can_contribute

from .access import visible_referrals
from .models import Referral


class CitedField(serializers.CharField):
    """Text holding a citation, given with the published procedure's name (not "seed 00N")."""

    def to_representation(self, value) -> str:
        return sources.cited(super().to_representation(value))


class ReferralSerializer(serializers.ModelSerializer):
    child = serializers.PrimaryKeyRelatedField(read_only=True)
    due_basis = CitedField(max_length=300)
    agency = serializers.CharField(source="agency.name")
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "child", "agency", "received_at", "urgent", "consent", "status",
                  "decision_due_at", "due_basis", "outcome"]

    def get_outcome(self, referral) -> str | None:
        decision = getattr(referral, "decision", None)
        return decision.outcome if decision else None


class ReferralViewSet(viewsets.ReadOnlyModelViewSet):
    """Referrals about children the caller may see, soonest decision due first."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()  # for the schema; get_queryset applies the access rule
    lookup_value_regex = "[0-9]{1,18}"  # an id that fits a 64-bit column, else 404

    def get_queryset(self):
        if not can_contribute(self.request.user):
            raise PermissionDenied("Your role does not work with children's records.")
        return (
            visible_referrals(self.request.user)
            .select_related("agency", "decision").order_by("decision_due_at", "pk")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"]
        audit.record(request.user, "list", summary="Listed referrals through the API",
                     changes={"referrals": [row["id"] for row in rows],
                              "children": sorted({row["child"] for row in rows})})
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        referral = self.get_object()
        audit.record(request.user, "view", referral, child=referral.child,
                     summary="Read a referral through the API")
        return response
