"""The organisation's integration page: its webhook endpoints and their recent deliveries, with buttons to enable an
endpoint again, send a failed delivery again and send a test event. NGO staff of the organisation only; anyone else
gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organisation

from . import webhook_selectors as selectors
from . import webhooks

PAGE_SIZE = 25


def _organisation(request: HttpRequest) -> Organisation:
    organisation = selectors.webhook_organisation_of(user=request.user)
    if organisation is None:
        raise Http404
    return organisation


@login_required
@require_safe
def integration(request: HttpRequest) -> HttpResponse:
    """The organisation's endpoints, and its deliveries newest first (a failed one with its last error)."""
    organisation = _organisation(request)
    deliveries = selectors.webhook_deliveries_of_organisation(organisation=organisation)
    context = {
        "organisation": organisation,
        "endpoints": selectors.webhook_endpoints_of(organisation=organisation),
        "page": Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "referrals/integration.html", context)


def _done(request: HttpRequest, action, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("referrals:integration")


@login_required
@require_POST
def webhook_endpoint_enable(request: HttpRequest, endpoint_id) -> HttpResponse:
    endpoint = selectors.webhook_endpoint_get(organisation=_organisation(request), endpoint_id=endpoint_id)
    return _done(
        request,
        lambda: webhooks.webhook_endpoint_update(endpoint=endpoint, actor=request.user, active=True),
        _("The endpoint is enabled again."),
    )


@login_required
@require_POST
def webhook_endpoint_test(request: HttpRequest, endpoint_id) -> HttpResponse:
    endpoint = selectors.webhook_endpoint_get(organisation=_organisation(request), endpoint_id=endpoint_id)
    return _done(
        request,
        lambda: webhooks.webhook_send_test(endpoint=endpoint),
        _("A test event is on its way: its delivery appears below."),
    )


@login_required
@require_POST
def webhook_delivery_retry(request: HttpRequest, delivery_id) -> HttpResponse:
    delivery = selectors.webhook_delivery_get(organisation=_organisation(request), delivery_id=delivery_id)
    return _done(
        request,
        lambda: webhooks.webhook_delivery_retry(delivery=delivery, actor=request.user),
        _("The delivery is sent again."),
    )
