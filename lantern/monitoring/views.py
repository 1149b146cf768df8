"""The monitoring pages: the partnership's data set with its filters, charts and CSV, the
completeness of children's records by agency, and the CSE leads directory. The data set is
for the roles that see figures, not identities (analysts, board members and auditors,
administrators), always with small-number suppression."""

import csv
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lantern.domain import csvsafe
from lantern.domain import monitoring as rules
from lantern.foundation import audit
from lantern.foundation.access import NO_IDENTITY_ROLES
from lantern.foundation.figures import Slice
from lantern.foundation.models import Role
from lantern.people import queries as people_queries

from . import dataset, queries
from .forms import FiltersForm

DEFAULT_MONTHS = 6  # seed 004: the board reviews the strategy six-monthly


def may_monitor(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in NO_IDENTITY_ROLES


def require_monitor(user) -> None:
    if not may_monitor(user):
        raise PermissionDenied("The data set is for analysts, board members and auditors")


def _form(request: HttpRequest) -> FiltersForm:
    data: QueryDict | None = request.GET if request.GET else None
    return FiltersForm(data, areas=queries.areas(), agencies=queries.agencies(),
                       ethnicities=people_queries.ethnicity_choices(),
                       initial={"area": request.user.area_id})


def _slice(form: FiltersForm, user) -> Slice:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    today = timezone.localdate()
    until = data.get("until") or today
    since = data.get("since") or (until - timedelta(days=round(DEFAULT_MONTHS * 30.44)))
    area = data.get("area") if form.is_bound and form.is_valid() else user.area_id
    born_after = born_by = None
    if data.get("age_band"):
        born_after, born_by = rules.birth_dates(rules.band(data["age_band"]), until)
    tz = timezone.get_current_timezone()
    return Slice(
        since=datetime.combine(since, time.min, tzinfo=tz),
        until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz),
        area_id=area, agency_id=data.get("agency"), gender=data.get("gender") or "",
        ethnicity=data.get("ethnicity") or "", born_after=born_after, born_by=born_by,
    )


@require_http_methods(["GET"])
def data_set(request: HttpRequest) -> HttpResponse:
    require_monitor(request.user)
    form = _form(request)
    s = _slice(form, request.user)
    figures = dataset.build(s, now=timezone.now(),
                            places=request.user.role == Role.ANALYST)
    if request.GET.get("format") == "csv":
        audit.record(request.user, "export", summary="Downloaded the monitoring data set")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lantern-data-set.csv"'
        writer = csv.writer(response)
        for row in dataset.csv_rows(figures):
            writer.writerow(csvsafe.row(row))
        return response
    audit.record(request.user, "list", summary="Opened the monitoring data set")
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, "monitoring/data_set.html", {
        "form": form, "figures": figures, "slice": s,
        "period_end": (s.until - timedelta(days=1)).date(), "csv_query": query.urlencode(),
    })


@require_http_methods(["GET"])
def data_quality(request: HttpRequest) -> HttpResponse:
    require_monitor(request.user)
    area_id = request.user.area_id
    audit.record(request.user, "list", summary="Opened the completeness of children's records")
    return render(request, "monitoring/data_quality.html", {
        "figure": dataset.completeness(area_id), "area": request.user.area,
    })
