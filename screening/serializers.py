"""Input and output of the qualification API, for validation messages and the OpenAPI schema."""

from rest_framework import serializers

from .qualification import ACTS, LANGUAGES, MEANS, PURPOSES, VERDICTS, WARNINGS


class QualifyRequestSerializer(serializers.Serializer):
    """The facts (ARCHITECTURE §4); every key is optional, unknown keys and codes are refused."""

    act_date = serializers.DateField(
        required=False, help_text="Date of the act, from 1900-01-01 to today in Asia/Bishkek; default today."
    )
    victim_date_of_birth = serializers.DateField(
        required=False, help_text="From 1900-01-01, not after the date of the act."
    )
    victim_age = serializers.IntegerField(required=False, min_value=0)
    appears_minor = serializers.BooleanField(required=False)
    acts = serializers.ListField(child=serializers.ChoiceField(choices=ACTS), required=False)
    means = serializers.ListField(child=serializers.ChoiceField(choices=MEANS), required=False)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=PURPOSES), required=False)
    exploitation_occurred = serializers.ListField(child=serializers.ChoiceField(choices=PURPOSES), required=False)
    moved_across_kr_border = serializers.BooleanField(required=False)
    crossed_border = serializers.BooleanField(required=False)
    illegal_border_crossing = serializers.BooleanField(required=False)
    free_consent_prostitution = serializers.BooleanField(required=False)
    foreseen_slave_like_dependency = serializers.BooleanField(required=False)
    suspect_age = serializers.IntegerField(required=False, min_value=0)
    suspect_sane = serializers.BooleanField(required=False)
    vulnerability_evidenced = serializers.BooleanField(required=False)
    vulnerability_abuse_evidenced = serializers.BooleanField(required=False)


class QualifyResponseSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=VERDICTS)
    articles = serializers.ListField(child=serializers.CharField())
    child = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.ChoiceField(choices=("act", "means", "purpose")))
    warnings = serializers.ListField(child=serializers.ChoiceField(choices=WARNINGS))
    explanation = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    policy_rules = serializers.ListField(child=serializers.CharField())


LANGUAGE_CHOICES = LANGUAGES
