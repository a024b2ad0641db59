"""Load demo units, one user per role and a few cases in every state. Demo only: refused in production."""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Organisation, Unit, User
from accounts.roles import Role
from cases import services as case_services
from cases.models import Case
from screening import services as screening_services

DEMO_PASSWORD = "kyrgyz-demo-2026"  # noqa: S105 - documented demo password, refused outside demo mode

UNITS = [
    # code, parent code, kind, ky, ru, en
    ("mvd", None, "ministry", "Кыргыз Республикасынын Ички иштер министрлиги", "Министерство внутренних дел КР",
     "Ministry of Internal Affairs"),
    ("bishkek", "mvd", "city", "Бишкек шаардык ички иштер башкармалыгы", "ГУВД г. Бишкек", "Bishkek City Police"),
    ("sverdlov", "bishkek", "district", "Свердлов райондук ички иштер башкармалыгы", "Свердловское РУВД",
     "Sverdlov District Police"),
    ("chui", "mvd", "oblast", "Чүй облустук ички иштер башкармалыгы", "УВД Чуйской области", "Chui Oblast Police"),
    ("alamudun", "chui", "district", "Аламүдүн райондук ички иштер бөлүмү", "Аламудунский РОВД",
     "Alamudun District Police"),
    ("sokuluk", "chui", "district", "Сокулук райондук ички иштер бөлүмү", "Сокулукский РОВД",
     "Sokuluk District Police"),
]  # fmt: skip

USERS = [
    # username, role, unit code, first name, last name, position, rank
    ("inspector", Role.INSPECTOR, "alamudun", "Айгүл", "Токтосунова", "Жаш өспүрүмдөр менен иштөөчү инспектор",
     "милициянын капитаны"),
    ("district_officer", Role.INSPECTOR, "sokuluk", "Бакыт", "Жумабеков", "Милициянын участкалык ыйгарым өкүлү",
     "милициянын улук лейтенанты"),
    ("duty_officer", Role.DUTY_OFFICER, "alamudun", "Нурлан", "Абдыкадыров", "ИИБ нөөмөтчүсү", "милициянын майору"),
    ("investigator", Role.INVESTIGATOR, "alamudun", "Эльвира", "Садыкова", "Тергөөчү", "юстициянын капитаны"),
    ("kib_officer", Role.KIB_OFFICER, "alamudun", "Марат", "Осмонов", "КИБдин оперативдик ыйгарым укуктуу кызматкери",
     "милициянын капитаны"),
    ("supervisor", Role.SUPERVISOR, "alamudun", "Талант", "Мамытов", "Ички иштер бөлүмүнүн начальниги",
     "милициянын подполковниги"),
    ("oblast_head", Role.SUPERVISOR, "chui", "Руслан", "Керимбеков", "Облустук башкармалыктын начальниги",
     "милициянын полковниги"),
    ("intl_cooperation", Role.INTL_COOPERATION, "mvd", "Динара", "Алиева",
     "Эл аралык кызматташтык башкармалыгынын кызматкери", "милициянын майору"),
    ("hotline", Role.HOTLINE_OPERATOR, "alamudun", "Гүлзат", "Бекова", "«Түз байланыш» 1899 операторы", ""),
    ("analyst", Role.ANALYST, "mvd", "Азамат", "Исаков", "Аналитик", ""),
    ("ngo", Role.NGO_STAFF, "mvd", "Жылдыз", "Карыбаева", "Социалдык кызматкер", ""),
]  # fmt: skip


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refused unless DJANGO_DEBUG or DEMO_MODE is on."

    def handle(self, *args, **options) -> None:
        from trafficking_cms.settings import env_bool

        if not (settings.DEBUG or env_bool("DEMO_MODE") or env_bool("TESTING")):
            raise CommandError("seed_demo loads known passwords: run it only with DJANGO_DEBUG=1 or DEMO_MODE=1.")
        with transaction.atomic():
            self.ngo, _ = Organisation.objects.get_or_create(
                name="«Ишеним» кризистик борбору", defaults={"kind": Organisation.Kind.CRISIS_CENTRE}
            )
            api_key = self._api_key()
            units = self._units()
            users = self._users(units)
            created = self._cases(units, users)
        self._write_credentials(users, api_key)
        self.stdout.write(
            self.style.SUCCESS(f"demo data ready: {len(units)} units, {len(users)} users, {created} new cases")
        )
        self.stdout.write(f"demo users and password: {settings.BASE_DIR / 'var' / 'demo-credentials.json'}")

    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for code, parent, kind, ky, ru, en in UNITS:
            unit, _ = Unit.objects.update_or_create(
                code=code,
                defaults={"parent": units.get(parent), "kind": kind, "name": ky, "name_ru": ru, "name_en": en},
            )
            units[code] = unit
        return units

    def _users(self, units: dict[str, Unit]) -> dict[str, User]:
        users: dict[str, User] = {}
        for username, role, unit_code, first, last, position, rank in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "unit": units[unit_code], "position": position,
                          "rank": rank, "organisation": self.ngo if role == Role.NGO_STAFF else None},
            )  # fmt: skip
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            if role == Role.NGO_STAFF and user.organisation_id is None:
                user.organisation = self.ngo
                user.save(update_fields=["organisation"])
            user.groups.add(Group.objects.get_or_create(name=str(role))[0])
            users[username] = user
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "unit": units["mvd"]}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save(update_fields=["password"])
        users["admin"] = admin
        for role in Role:
            Group.objects.get_or_create(name=str(role))
        return users

    def _cases(self, units: dict[str, Unit], users: dict[str, User]) -> int:
        if Case.objects.exists():
            return 0
        now = timezone.now()
        inspector, supervisor = users["inspector"], users["supervisor"]

        def at(days: int, hour: int = 10) -> datetime:
            return (now - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)

        child_case = case_services.case_create(
            actor=inspector,
            data={"source": Case.Source.OWN_DUTIES, "received_at": at(2), "incident_at": at(3, 22),
                  "incident_place": "Аламүдүн району, Лебединовка айылы", "country_origin": True,
                  "summary": "16 жаштагы кызды «кафеде иш бар» деп азгырып, батирде кармап турушкан."},
        )  # fmt: skip
        child = case_services.victim_create(
            case=child_case, actor=inspector,
            data={"last_name": "Сыдыкова", "first_name": "Айпери", "patronymic": "Бакытовна",
                  "last_name_latin": "Sydykova", "first_name_latin": "Aiperi", "sex": "female",
                  "date_of_birth": (now - timedelta(days=16 * 365 + 40)).date(), "citizenship": "KG",
                  "residence_address": "Аламүдүн району, Лебединовка айылы", "phone": "+996 555 123 456",
                  "identity_established_by": "id_document", "id_document_type": "ID-карта",
                  "id_document_number": "ID1234567"},
        )  # fmt: skip
        case_services.suspect_add(
            case=child_case, actor=inspector,
            data={"nickname": "«Бакa»", "sex": "male", "age": 35, "appearance": "Бою узун, сакалчан",
                  "possible_locations": "Бишкек ш., Ош базарынын жанында", "armed": "unknown", "sane": "yes"},
        )  # fmt: skip
        case_services.exploitation_site_add(
            case=child_case, actor=inspector,
            data={"location": "Бишкек ш., Жибек Жолу көч., батир", "other_victims": "yes",
                  "other_victims_notes": "Дагы эки кыз болушу мүмкүн"},
        )  # fmt: skip

        check_case = case_services.case_create(
            actor=users["duty_officer"],
            data={"source": Case.Source.HOTLINE_1899, "received_at": at(6), "incident_at": at(40),
                  "incident_place": "Россия Федерациясы, Москва облусу", "country_origin": True,
                  "summary": "Курулушта мажбурлап иштетүү, паспорту алынып коюлган."},
        )  # fmt: skip
        worker = case_services.victim_create(
            case=check_case, actor=users["duty_officer"],
            data={"last_name": "Осмонов", "first_name": "Эрлан", "last_name_latin": "Osmonov",
                  "first_name_latin": "Erlan", "sex": "male", "date_of_birth": datetime(1994, 3, 12).date(),
                  "citizenship": "KG", "identity_established_by": "witnesses"},
        )  # fmt: skip
        self._move(check_case, supervisor, status=Case.Status.CHECK)
        check_case.refresh_from_db()

        registered_case = case_services.case_create(
            actor=inspector,
            data={"source": Case.Source.NGO, "received_at": at(12), "incident_at": at(14),
                  "incident_place": "Бишкек ш.", "country_destination": True, "country_transit": True},
        )  # fmt: skip
        foreign_woman = case_services.victim_create(
            case=registered_case, actor=inspector,
            data={"last_name": "Нурланова", "first_name": "Алия", "last_name_latin": "Nurlanova",
                  "first_name_latin": "Aliya", "sex": "female", "date_of_birth": datetime(1999, 7, 1).date(),
                  "citizenship": "KZ", "foreign_status_documents": "Казакстан Республикасынын паспорту",
                  "receiving_organisation": "«Ишеним» кризистик борбору",
                  "temporary_residence_address": "Кризистик борбордун баш калкалоочу жайы"},
        )  # fmt: skip
        self._move(registered_case, supervisor, status=Case.Status.REGISTERED, kbr_number="01-2026-004512",
                   kbr_registered_at=at(11).date())  # fmt: skip

        self._screenings(child_case, child, check_case, worker, registered_case, foreign_woman, users)

        referred_case = case_services.case_create(
            actor=inspector,
            data={"source": Case.Source.RAID, "received_at": at(20), "incident_place": "Аламүдүн базары"},
        )
        case_services.victim_create(
            case=referred_case,
            actor=inspector,
            data={"first_name": "Бекзат", "sex": "male", "appears_minor": True, "citizenship": "KG"},
        )
        self._move(referred_case, supervisor, status=Case.Status.REFERRED)

        closed_case = case_services.case_create(
            actor=users["district_officer"],
            data={"source": Case.Source.CITIZEN, "received_at": at(60), "incident_place": "Сокулук району"},
        )
        case_services.case_close(
            case=closed_case, actor=users["district_officer"], reason="Текшерүүдө адам сатуунун белгилери табылган жок."
        )

        case_services.case_create(
            actor=users["hotline"],
            data={"source": Case.Source.HOTLINE_1899, "received_at": at(0, 8), "assigned_officer": inspector},
        )
        return Case.objects.count()

    def _screenings(self, child_case, child, check_case, worker, registered_case, foreign_woman, users) -> None:
        """Screen three demo cases: a child (Art. 167), an adult with a means still missing, a foreign adult (166)."""
        inspector = users["inspector"]
        for code in ("check_report", "establish_identity", "interview"):
            case_services.officer_step_record(case=child_case, actor=inspector, code=code)
        screening_services.screening_record(
            case=child_case, actor=inspector, victim=child,
            facts={"act_date": child_case.act_date.isoformat(), "victim_date_of_birth": child.date_of_birth.isoformat(),
                   "acts": ["recruitment", "harbouring"], "purposes": ["sexual_exploitation"]},
            indicators=["held_against_will", "no_contact_with_relatives"], vulnerability=["young_age"],
            sexual_violence=True,
        )  # fmt: skip
        screening_services.screening_record(
            case=check_case, actor=users["duty_officer"], victim=worker,
            facts={"act_date": check_case.act_date.isoformat(),
                   "victim_date_of_birth": worker.date_of_birth.isoformat(),
                   "acts": ["recruitment", "transportation"], "purposes": ["forced_labour"], "crossed_border": True},
            indicators=["no_documents_or_relatives", "no_access_to_earnings"],
            vulnerability=["financial_hardship"], vulnerability_factors=["economic_hardship", "false_picture_abroad"],
        )  # fmt: skip
        screening_services.screening_record(
            case=registered_case, actor=inspector, victim=foreign_woman,
            facts={"act_date": registered_case.act_date.isoformat(),
                   "victim_date_of_birth": foreign_woman.date_of_birth.isoformat(),
                   "acts": ["recruitment", "transportation"], "means": ["deception"],
                   "purposes": ["sexual_exploitation"], "moved_across_kr_border": True},
            indicators=["held_against_will"], vulnerability=["illegal_stay"],
        )  # fmt: skip

    def _move(self, case: Case, actor: User, **data) -> None:
        case_services.case_update(case=case, actor=actor, data=data, version=case.version)

    def _api_key(self) -> str | None:
        """Create the NGO's API key once and print it: only its hash is stored."""
        if ApiKey.objects.filter(organisation=self.ngo, revoked=False).exists():
            return None
        _, key = ApiKey.objects.create_key(name="demo NGO key", organisation=self.ngo)
        self.stdout.write(f"API key of the demo NGO (shown once): {key}")
        return key

    def _write_credentials(self, users: dict[str, User], api_key: str | None) -> None:
        path = settings.BASE_DIR / "var" / "demo-credentials.json"
        path.parent.mkdir(exist_ok=True)
        entries = [
            {"role": role_name, "username": user.username, "password": DEMO_PASSWORD, "unit": user.unit.code}
            for user in users.values()
            for role_name in (sorted(user.role_names()) or ["superuser"])
        ]
        content = {"users": entries}
        if path.exists():
            previous = json.loads(path.read_text(encoding="utf-8"))
            if api_key is None and previous.get("ngo_api_key"):
                api_key = previous["ngo_api_key"]
        if api_key:
            content["ngo_api_key"] = api_key
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
