"""The partner API for children: the same access rule and audit as the pages."""

from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied

from lantern.foundation import audit
from lantern.foundation.access import (
    MergedRecord,
    can_contribute,
    get_child_for_user,
    visible_children,
)
from lantern.foundation.models import Child


class ChildSummarySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.name")
    age_years = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = ["id", "given_names", "family_name", "known_as", "date_of_birth",
                  "age_years", "area"]

    def get_age_years(self, child) -> int | None:
        age = child.age()
        return age.years if age else None


class ChildSerializer(ChildSummarySerializer):
    class Meta(ChildSummarySerializer.Meta):
        fields = ChildSummarySerializer.Meta.fields + [
            "aliases", "gender", "ethnicity", "first_language", "nationality", "disability",
            "learning_disability", "looked_after", "care_leaver",
            "unaccompanied_asylum_seeking", "school", "nhs_number", "local_ids",
        ]


class ChildViewSet(viewsets.ReadOnlyModelViewSet):
    """Children the caller may see (need to know). Every list and read is audited."""

    serializer_class = ChildSerializer
    queryset = Child.objects.none()  # for the schema; get_queryset applies the access rule
    lookup_value_regex = "[0-9]{1,18}"  # an id that fits a 64-bit column, else 404

    def _check_role(self):
        if not can_contribute(self.request.user):
            raise PermissionDenied("Your role does not work with children's records.")

    def get_queryset(self):
        self._check_role()
        # A record merged into another is listed once, as the kept record (issue 15).
        return (visible_children(self.request.user).filter(merged_into=None)
                .select_related("area").order_by("pk"))

    def get_serializer_class(self):
        return ChildSummarySerializer if self.action == "list" else ChildSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data.get("results", [])]
        audit.record(request.user, "list", summary="Listed children through the API",
                     changes={"children": ids})
        return response

    def get_object(self):
        self._check_role()
        try:
            child, _can_change = get_child_for_user(self.request.user, self.kwargs["pk"])
        except MergedRecord:
            raise  # the kept record's address for those who may see it, else 404 (middleware)
        except Exception as exc:
            raise NotFound("No child found") from exc
        audit.record(self.request.user, "view", child, child=child,
                     summary="Read the child's record through the API")
        return child
