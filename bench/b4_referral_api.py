"""B4 the NGO referral list: the DRF endpoint (/api/v1/referrals/, the organisation's API key) against the same data
from a plain Django JSON view (same selector, same ordering, same page of 50, same fields, the same API key checked by
the same authentication class), both through the full middleware stack and django.test.Client.

Target: DRF serves at least 0.75× the plain view's requests per second. The NGO, its key and its sent referrals are
created once in the benchmark database (200 in smoke, 2,000 otherwise) and kept.
"""

from django.http import JsonResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import timezone

from bench.core import Context, Result, median_seconds

NGO_NAME = "bench «Ишеним» борбору"


def plain_list(request):
    from accounts.api_auth import OrganisationApiKeyAuthentication
    from accounts.readers import reader_from
    from referrals import selectors

    found = OrganisationApiKeyAuthentication().authenticate(request)
    if found is None:
        return JsonResponse({"detail": "unauthorised"}, status=401)
    request.user, request.auth = found
    inbox = selectors.referral_inbox_of(reader=reader_from(request)).order_by("-updated_at", "-pk")
    page = list(inbox[:50])
    results = [
        {
            "id": str(r.pk),
            "status": r.status,
            "case_number": r.case.number,
            "recipient": r.recipient.display_name,
            "services": r.services,
            "due_at": r.due_at.isoformat() if r.due_at else None,
            "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            "updated_at": r.updated_at.isoformat(),
            "external_ref": r.external_ref,
            "child": r.victim.is_child if r.victim_id is not None else None,
        }
        for r in page
    ]
    return JsonResponse({"count": inbox.count(), "next": None, "previous": None, "results": results})


urlpatterns = [path("plain/referrals/", plain_list), path("", include("trafficking_cms.urls"))]


def _ngo(count: int):
    from accounts.models import ApiKey, Organisation, User
    from cases.models import Victim
    from referrals.models import CATEGORIES, Recipient, Referral

    recipient = Recipient.objects.filter(organisation__name=NGO_NAME).first()
    if recipient is None:
        organisation = Organisation.objects.create(name=NGO_NAME, kind=Recipient.Kind.NGO)
        recipient = Recipient.objects.create(
            kind=Recipient.Kind.NGO, organisation=organisation, agreement_categories=list(CATEGORIES)
        )
    have = recipient.referrals.count()
    if have < count:
        officer = User.objects.get(username="scale-insp-0-0-0")
        now = timezone.now()
        victims = Victim.objects.order_by("pk").values_list("pk", "case_id")[have:count]
        Referral.objects.bulk_create(
            Referral(
                case_id=case_id,
                victim_id=victim_id,
                recipient=recipient,
                status=Referral.Status.SENT,
                services=["shelter", "legal"],
                created_by=officer,
                sent_at=now,
            )
            for victim_id, case_id in victims
        )
    ApiKey.objects.filter(organisation=recipient.organisation).delete()
    _, key = ApiKey.objects.create_key(name="bench", organisation=recipient.organisation)
    return key


def run(ctx: Context) -> list[Result]:
    from django.urls import reverse

    key = _ngo(200 if ctx.smoke else 2000)
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    client = Client()
    repeat = 20 if ctx.smoke else 100
    with override_settings(ROOT_URLCONF=__name__):
        api = reverse("api-referrals")
        drf = client.get(api, **headers)
        plain = client.get("/plain/referrals/", **headers)
        assert drf.status_code == plain.status_code == 200, (drf.status_code, plain.status_code)
        assert len(drf.json()["results"]) == len(plain.json()["results"])
        drf_time = median_seconds(lambda: client.get(api, **headers), repeat=repeat)
        plain_time = median_seconds(lambda: client.get("/plain/referrals/", **headers), repeat=repeat)
    return [
        Result(
            "B4",
            "drf_referral_list_vs_plain_json_rps",
            plain_time / drf_time,
            ">=",
            0.75,
            f"DRF {1 / drf_time:.0f} req/s ({drf_time * 1000:.1f} ms), plain {1 / plain_time:.0f} req/s "
            f"({plain_time * 1000:.1f} ms), page of {len(drf.json()['results'])}",
        )
    ]
