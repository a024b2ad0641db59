from django.urls import path

from . import triage_views, views, webhook_views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:referral_id>/", views.inbox_detail, name="inbox_detail"),
    path("inbox/<uuid:referral_id>/accept/", views.inbox_accept, name="inbox_accept"),
    path("inbox/<uuid:referral_id>/decline/", views.inbox_decline, name="inbox_decline"),
    path("inbox/<uuid:referral_id>/service/", views.inbox_service, name="inbox_service"),
    path("hotline/", views.hotline_calls, name="hotline_calls"),
    # the organisation's webhooks (referrals/webhook_views.py)
    path("integration/", webhook_views.integration, name="integration"),
    path(
        "integration/endpoints/<uuid:endpoint_id>/enable/",
        webhook_views.webhook_endpoint_enable,
        name="webhook_endpoint_enable",
    ),
    path(
        "integration/endpoints/<uuid:endpoint_id>/test/",
        webhook_views.webhook_endpoint_test,
        name="webhook_endpoint_test",
    ),
    path(
        "integration/deliveries/<uuid:delivery_id>/retry/",
        webhook_views.webhook_delivery_retry,
        name="webhook_delivery_retry",
    ),
    # The duty unit's triage queue and every officer's due items (referrals/triage_views.py)
    path("triage/", triage_views.triage_queue, name="triage"),
    path("my/", triage_views.my_items, name="my_items"),
    path("items/<uuid:obligation_id>/claim/", triage_views.item_claim, name="item_claim"),
    path("items/<uuid:obligation_id>/assign/", triage_views.item_assign, name="item_assign"),
    path("items/<uuid:obligation_id>/done/", triage_views.item_done, name="item_done"),
    path("items/<uuid:obligation_id>/intl-decision/", triage_views.item_intl_decision, name="item_intl_decision"),
    # the police side: the list, the heads' dashboard, a case's referrals, consent on the person's page
    path("", views.referral_list, name="list"),
    path("dashboard/", views.referral_dashboard, name="dashboard"),
    path("cases/<uuid:case_id>/new/", views.referral_new, name="new"),
    path("<uuid:referral_id>/send/", views.referral_send, name="send"),
    path("<uuid:referral_id>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<uuid:referral_id>/reopen/", views.referral_reopen, name="reopen"),
    path("people/<uuid:victim_id>/consent/", views.consent_record, name="consent_record"),
    path("consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("hotline/new/", views.hotline_call_new, name="hotline_call_new"),
    path("hotline/<uuid:call_id>/", views.hotline_call_detail, name="hotline_call_detail"),
    path("hotline/<uuid:call_id>/close/", views.hotline_call_close, name="hotline_call_close"),
    path("directory/", views.directory, name="directory"),
    path("cases/<uuid:case_id>/rights-sheet/", views.rights_sheet_create, name="rights_sheet_create"),
    path("rights-sheets/<uuid:sheet_id>/", views.rights_sheet_status, name="rights_sheet_status"),
    path("rights-sheets/<uuid:sheet_id>/download/", views.rights_sheet_download, name="rights_sheet_download"),
]
