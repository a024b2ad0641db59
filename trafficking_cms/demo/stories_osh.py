"""The cases of Osh oblast's two district departments: Kara-Suu (10), on the border with Uzbekistan, and Uzgen (7)."""

from datetime import timedelta

from cases.models import Attachment, Case

from .builder import DemoBuilder, born
from .files import png

HOUR = timedelta(hours=1)
S = Case.Source


def kara_suu(d: DemoBuilder) -> None:
    today = d.now.date()

    # A 17-year-old citizen of Uzbekistan stopped at the Dostuk crossing with a man who is no relative: Art. 167;
    # the head decided to inform International Cooperation; the rapport and the notice to КИБ are overdue.
    case = d.case(by="karasuu_officer", source=S.OWN_DUTIES, received=d.ago(2, 7), incident_at=d.ago(2, 8),
                  assigned_officer="karasuu_inspector", incident_place="«Дөстүк» өткөрүү пункту",
                  country_transit=True,
                  summary="«Дөстүк» өткөрүү пунктунда 17 жаштагы Өзбекстандын жараны тууганы эмес эркек менен "
                          "Россияга бара жатканы аныкталды. Эркектин телефонундагы каттарда кыз Москвада "
                          "«клиенттер менен отурат» деп жазылган; жол акысын ал өзү төлөгөн.")  # fmt: skip
    traveller = d.person(case, by="karasuu_officer", at=d.ago(2, 6), last_name="Юсупова", first_name="Дилноза",
                         last_name_latin="Yusupova", first_name_latin="Dilnoza", sex="female",
                         date_of_birth=born(17, 130, before=today), citizenship="UZ",
                         foreign_status_documents="Өзбекстан Республикасынын паспорту",
                         temporary_residence_address="Кара-Суу шаары, кризистик борбордун баш калкалоочу жайы",
                         identity_established_by="id_document", id_document_type="Паспорт",
                         id_document_number="FA0417723")  # fmt: skip
    d.representative(traveller, by="karasuu_inspector", at=d.ago(2, 5),
                     full_name="Кара-Суу районунун балдарды коргоо бөлүмү",
                     relation="child_protection_body")  # fmt: skip
    d.suspect(case, by="karasuu_officer", at=d.ago(2, 4, 30), full_name="Каримов Бахтиёр", sex="male", age=34,
              identifying_data="Өзбекстандын жараны", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="karasuu_inspector", at=d.ago(2, 3), victim=traveller,
             facts={"acts": ["recruitment", "transportation"], "purposes": ["sexual_exploitation"],
                    "crossed_border": True},
             indicators=["foreign_child_unaccompanied"], vulnerability=["young_age"])  # fmt: skip
    d.done(case, code="notify_duty_officer", by="karasuu_inspector", at=d.ago(2, 2))
    d.done(case, code="refer_child_social_services", by="karasuu_inspector", at=d.ago(1, 22))
    d.done(case, code="inform_ngo", by="karasuu_inspector", at=d.ago(1, 20))
    d.decline(
        d.routed(case, "inform_ngo"),
        by="ngo_b",
        at=d.ago(1, 12),
        reason="Биздин баш калкалоочу жайыбызда орун жок: Ош шаарындагы мамлекеттик борборго кайрылыңыз.",
    )
    d.answer(d.routed(case, "refer_child_social_services"), at=d.ago(1, 10), service="child_care")
    d.update(case, by="karasuu_head", at=d.ago(1, 8), status=Case.Status.CHECK)
    d.decide_intl(case, by="karasuu_head", at=d.ago(1, 4), inform=True,
                  note="Өзбекстан Республикасынын ИИМине баланы кайтаруу үчүн маалымат берилсин")  # fmt: skip
    d.grant(case, to="intl_cooperation", by="karasuu_head", at=d.ago(1, 3, 50))

    # A mother and her family worked a season unpaid on a tobacco field in Kazakhstan: Art. 166 and part 2 item 5.
    case = d.case(by="karasuu_officer", source=S.VICTIM, received=d.ago(18, 4), incident_at=d.ago(150, 8),
                  incident_place="Казакстан, Түркстан облусу, тамеки талаасы", country_origin=True,
                  summary="Жабырлануучу өзү кайрылды: Казакстандагы тамеки талаасында үй-бүлөсү менен бир сезон "
                          "акысыз иштетилген, документтерин «бригадир» алып койгон.")  # fmt: skip
    picker = d.person(case, by="karasuu_officer", at=d.ago(18, 3), last_name="Мамасалиева", first_name="Гүлзада",
                      sex="female", date_of_birth=born(38, 66, before=today), citizenship="KG",
                      residence_address="Кара-Суу району, Мады айылы", identity_established_by="id_document",
                      id_document_type="ID-карта", id_document_number="ID5120336")  # fmt: skip
    d.attach(case, by="karasuu_officer", at=d.ago(18, 2), name="Иш келишиминин сүрөтү.png",
             kind=Attachment.Kind.PHOTO, content=png(seed=3))  # fmt: skip
    d.screen(case, by="karasuu_officer", at=d.ago(18, 1), victim=picker,
             facts={"acts": ["recruitment", "transportation", "harbouring"], "means": ["deception", "coercion"],
                    "purposes": ["forced_labour"], "exploitation_occurred": ["forced_labour"],
                    "moved_across_kr_border": True},
             indicators=["no_documents_or_relatives", "no_access_to_earnings"],
             vulnerability=["financial_hardship", "family_situation"],
             vulnerability_factors=["economic_hardship", "demand_cheap_labour"])  # fmt: skip
    d.steps(case, by="karasuu_officer", at=d.ago(18, 0, 30), every=HOUR,
            codes=("check_report", "establish_identity", "interview", "advise_documents", "write_rapport"))  # fmt: skip
    d.done(case, code="rapport_registration", by="karasuu_officer", at=d.ago(17, 20))
    d.register(case, by="karasuu_duty", at=d.ago(17, 8))

    # Four men recruited for a building site near Moscow, reported by an NGO: Art. 166, registered, referred.
    case = d.case(by="karasuu_officer", source=S.NGO, received=d.ago(41, 2), incident_at=d.ago(130, 4),
                  incident_place="Россия Федерациясы, Москва облусу, Подольск шаары", country_origin=True,
                  summary="НПО «Ак-Ниет» сообщило: четверо мужчин из Кара-Суу были завербованы на стройку в "
                          "Подмосковье, паспорта забрали по прибытии, зарплату не платили три месяца. Один из них "
                          "вернулся и готов дать показания.")  # fmt: skip
    builder = d.person(case, by="karasuu_officer", at=d.ago(41, 1), last_name="Ташматов", first_name="Адилет",
                       sex="male", date_of_birth=born(26, 222, before=today), citizenship="KG",
                       identity_established_by="databases")  # fmt: skip
    d.site(case, by="karasuu_officer", at=d.ago(40, 22), location="Россия, Москва облусу, Подольск, курулуш аянты",
           other_victims="yes", other_victims_notes="Дагы үч жигит ошол жерде калган")  # fmt: skip
    d.screen(case, by="karasuu_officer", at=d.ago(40, 5), victim=builder,
             facts={"acts": ["recruitment", "transportation", "receipt"], "means": ["fraud", "coercion"],
                    "purposes": ["forced_labour"], "exploitation_occurred": ["forced_labour"],
                    "moved_across_kr_border": True},
             indicators=["no_documents_or_relatives", "no_access_to_earnings"],
             vulnerability_factors=["poor_migration_knowledge", "organised_crime"])  # fmt: skip
    d.done(case, code="rapport_registration", by="karasuu_officer", at=d.ago(39, 22))
    d.register(case, by="karasuu_duty", at=d.ago(39, 6))
    d.update(case, by="karasuu_head", at=d.ago(35, 4), status=Case.Status.REFERRED)

    # A boy of 15 who does not come home, working and sleeping at a trader's stall: no purpose established yet.
    case = d.case(by="karasuu_duty", source=S.HOTLINE_1899, received=d.ago(6, 9), assigned_officer="karasuu_inspector",
                  incident_place="Кара-Суу базары",
                  summary="Энеси 1899 линиясына чалды: 15 жаштагы уулу бир жумадан бери үйгө келбейт, базарда бир "
                          "соодагерге иштеп, ошол жерде түнөп жүргөнүн угушкан.")  # fmt: skip
    runaway = d.person(case, by="karasuu_inspector", at=d.ago(6, 2), last_name="Абдуллаев", first_name="Исламбек",
                       sex="male", date_of_birth=born(15, 35, before=today), citizenship="KG",
                       identity_established_by="witnesses")  # fmt: skip
    d.screen(case, by="karasuu_inspector", at=d.ago(5, 20), victim=runaway, facts={"acts": ["harbouring"]},
             indicators=["no_contact_with_relatives"], vulnerability=["young_age", "family_situation"])  # fmt: skip
    d.done(case, code="notify_duty_officer", by="karasuu_inspector", at=d.ago(5, 19))
    d.done(case, code="refer_child_social_services", by="karasuu_inspector", at=d.ago(5, 6))
    d.done(case, code="inform_ngo", by="karasuu_inspector", at=d.ago(5, 3))
    d.accept(d.routed(case, "inform_ngo"), by="ngo_b", at=d.ago(4, 22))
    d.update(case, by="karasuu_head", at=d.ago(5, 2), status=Case.Status.CHECK)

    # Two boys pushing carts at the Kara-Suu bazaar for a man who keeps their earnings: Art. 167; referred.
    case = d.case(by="karasuu_inspector", source=S.RAID, received=d.ago(11, 7), incident_at=d.ago(11, 8),
                  incident_place="Кара-Суу базары",
                  summary="«Бала» рейди учурунда базарда араба түрткөн эки бала табылды: аларды бир киши айылдан "
                          "алып келип, бир бөлмөдө жаткырып, тапканын алып турат.")  # fmt: skip
    porters = [
        d.person(case, by="karasuu_inspector", at=d.ago(11, 6), last_name="Эшматов", first_name="Жавохир",
                 sex="male", date_of_birth=born(14, 10, before=today), citizenship="KG",
                 identity_established_by="witnesses"),
        d.person(case, by="karasuu_inspector", at=d.ago(11, 5, 30), last_name="Мырзаев", first_name="Бекжан",
                 sex="male", date_of_birth=born(12, 300, before=today), citizenship="KG",
                 identity_established_by="witnesses"),
    ]  # fmt: skip
    for porter, mother in zip(porters, ("Эшматова Дилфуза", "Мырзаева Айнагүл"), strict=True):
        d.representative(porter, by="karasuu_inspector", at=d.ago(11, 5), full_name=mother, relation="mother")
    d.suspect(case, by="karasuu_inspector", at=d.ago(11, 4), full_name="Абдыразаков Мурат", sex="male", age=44,
              armed="no", sane="yes")  # fmt: skip
    for position, porter in enumerate(porters):
        d.screen(case, by="karasuu_inspector", at=d.ago(11, 3 - position), victim=porter,
                 facts={"acts": ["transportation", "harbouring"], "purposes": ["forced_labour"]},
                 indicators=["unfit_living_place", "dependency_cruelty_vulnerability"],
                 vulnerability=["young_age"])  # fmt: skip
    for hours_later, code in ((0, "notify_kib"), (0.5, "notify_duty_officer"), (11, "rapport_registration"),
                              (15, "refer_child_social_services"), (21, "inform_ngo")):  # fmt: skip
        d.done(case, code=code, by="karasuu_inspector", at=d.ago(11, 1) + timedelta(hours=hours_later))
    d.register(case, by="karasuu_duty", at=d.ago(10, 5))
    d.update(case, by="karasuu_head", at=d.ago(8, 2), status=Case.Status.REFERRED)
    # the first boy's mother first agreed to the NGO's help, then took him home and refused it
    mother = porters[0].legal_representatives.get()
    consents = d.consent(porters[0], d.recipient("demo-ngo-b"), by="karasuu_inspector", at=d.ago(10, 3),
                         given=("identity", "contacts", "case_facts"), given_by="legal_representative",
                         representative=mother)  # fmt: skip
    d.withdraw(
        d.routed(case, "inform_ngo"),
        by="karasuu_inspector",
        at=d.ago(7, 3),
        reason="Энеси баланы үйүнө алып кетти жана уюмдун кызматынан баш тартты.",
    )
    for consent in consents:
        d.withdraw_consent(consent, by="karasuu_inspector", at=d.ago(7, 2, 50), note="Энеси макулдугун кайтарып алды.")

    # Young men caught crossing the river into Uzbekistan to trade, nobody behind them: not trafficking; closed.
    case = d.case(by="karasuu_officer", source=S.OWN_DUTIES, received=d.ago(47, 3), incident_at=d.ago(47, 4),
                  incident_place="Кара-Дарыя дарыясынын жээги, Кашгар-Кыштак айылынын жанында",
                  summary="Чек ара кызматы менен биргеликте дарыяны мыйзамсыз кечип өтүүгө аракет кылган үч "
                          "жигит кармалды; алар Өзбекстанга соода үчүн бара жатышкан, эч ким аларды уюштурган "
                          "эмес.")  # fmt: skip
    trader = d.person(case, by="karasuu_officer", at=d.ago(47, 2), last_name="Холматов", first_name="Дилшод",
                      sex="male", date_of_birth=born(23, 140, before=today), citizenship="KG",
                      identity_established_by="id_document", id_document_type="ID-карта",
                      id_document_number="ID6604218")  # fmt: skip
    d.screen(case, by="karasuu_officer", at=d.ago(47, 1), victim=trader,
             facts={"crossed_border": True, "illegal_border_crossing": True})  # fmt: skip
    d.update(case, by="karasuu_head", at=d.ago(45, 4), status=Case.Status.CLOSED)

    # A "factory job in Korea" recruited on Telegram: the means are still to establish.
    case = d.case(by="karasuu_head", source=S.CITIZEN, received=d.ago(2, 6), assigned_officer="karasuu_officer",
                  incident_place="Кара-Суу шаары",
                  summary="Telegram аркылуу «Кореяда фабрикада иш, виза бекер» деп жаш кыздарды чогултуп жаткан "
                          "адам бар; бир кыз акча төлөп, эртең Бишкекке жөнөтүлмөк.")  # fmt: skip
    applicant = d.person(case, by="karasuu_officer", at=d.ago(2, 2), last_name="Жусупова", first_name="Айгерим",
                         sex="female", date_of_birth=born(22, 18, before=today), citizenship="KG",
                         identity_established_by="id_document", id_document_type="ID-карта",
                         id_document_number="ID7731950")  # fmt: skip
    d.screen(case, by="karasuu_officer", at=d.ago(1, 20), victim=applicant,
             facts={"acts": ["recruitment"], "purposes": ["forced_labour"]},
             vulnerability_factors=["false_picture_abroad", "poor_migration_knowledge"])  # fmt: skip
    d.update(case, by="karasuu_head", at=d.ago(1, 18), status=Case.Status.CHECK)

    # A young woman about to leave for Dubai, once already brought back from Turkey (the Uzgen case): the duplicate
    # check finds her; not screened yet.
    case = d.case(by="karasuu_duty", source=S.CITIZEN, received=d.ago(hours=6), assigned_officer="karasuu_officer",
                  incident_place="Кара-Суу шаары",
                  summary="Эжеси кабарлады: Бегимай Дубайга «мейманканада иш» деп жөнөмөк; мурда да Түркиядан "
                          "кыйынчылык менен кайтып келген.")  # fmt: skip
    d.person(case, by="karasuu_duty", at=d.ago(hours=5), last_name="Жээнбекова", first_name="Бегимай",
             sex="female", date_of_birth=born(22, 40, before=today), citizenship="KG",
             identity_established_by="databases")  # fmt: skip

    # A woman kept two years by her husband's family, beaten and made to work: violence against a woman and a high
    # risk; protective measures taken, the rapport "immediately" is overdue.
    case = d.case(by="karasuu_officer", source=S.VICTIM, received=d.ago(hours=5), incident_at=d.ago(hours=7),
                  incident_place="Кара-Суу району, Нариман айылы",
                  summary="Аял балдары менен бөлүмгө келди: күйөөсүнүн туугандары аны эки жылдан бери үйдө кармап, "
                          "талаада акысыз иштетип, урушат; паспорту алардын колунда.")  # fmt: skip
    wife = d.person(case, by="karasuu_officer", at=d.ago(hours=4), last_name="Абдыкалыкова", first_name="Салтанат",
                    sex="female", date_of_birth=born(25, 90, before=today), citizenship="KG",
                    identity_established_by="witnesses")  # fmt: skip
    d.suspect(case, by="karasuu_officer", at=d.ago(hours=3, minutes=30), full_name="Абдыкалыкова Сайра",
              sex="female", age=58, appearance="Күйөөсүнүн энеси", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="karasuu_officer", at=d.ago(hours=3), victim=wife,
             facts={"acts": ["harbouring"], "means": ["force", "coercion"], "purposes": ["servitude"]},
             indicators=["held_against_will", "no_documents_or_relatives"], vulnerability=["gender", "isolation"],
             violence_against_women=True, high_risk=True)  # fmt: skip
    d.done(case, code="protective_measures", by="karasuu_duty", at=d.ago(hours=2, minutes=30))

    # A girl of about nine, a citizen of Tajikistan without documents, begging with a woman who calls herself her
    # aunt: Art. 167; the referral is due in a few hours.
    case = d.case(by="karasuu_inspector", source=S.OWN_DUTIES, received=d.ago(1, 4), incident_at=d.ago(1, 5),
                  incident_place="Кара-Суу шаарынын борбору",
                  summary="Борбордо кайыр сурап жүргөн 9 жаштардагы кыз жана өзүн «таажеси» деп атаган "
                          "Тажикстандын жараны аял аныкталды; кыздын документтери жок.")  # fmt: skip
    child = d.person(case, by="karasuu_inspector", at=d.ago(1, 3), first_name="Мадина", sex="female",
                     approximate_age=9, citizenship="TJ", foreign_status_documents="Документтери жок",
                     temporary_residence_address="Кара-Суу шаары, балдар үйү")  # fmt: skip
    d.representative(child, by="karasuu_inspector", at=d.ago(1, 2),
                     full_name="Кара-Суу районунун балдарды коргоо бөлүмү",
                     relation="child_protection_body")  # fmt: skip
    d.screen(case, by="karasuu_inspector", at=d.ago(hours=20), victim=child,
             facts={"acts": ["harbouring", "receipt"], "purposes": ["forced_begging"]},
             indicators=["foreign_child_unaccompanied", "dependency_cruelty_vulnerability"],
             vulnerability=["young_age", "language"])  # fmt: skip
    d.update(case, by="karasuu_head", at=d.ago(hours=18), status=Case.Status.CHECK)


def uzgen(d: DemoBuilder) -> None:
    today = d.now.date()

    # Four months ago: a young woman sent to Turkey "for a hotel job" and forced into prostitution; registered, closed.
    case = d.case(by="uzgen_inspector", source=S.NGO, received=d.ago(130, 4), incident_at=d.ago(300, 6),
                  incident_place="Түркия, Анталия шаары", country_origin=True,
                  summary="Кыз Түркияга «мейманканада иш» деп жөнөтүлүп, Анталияда паспорту алынып, сойкулукка "
                          "мажбурланган; элчилик аркылуу кайтарылды.")  # fmt: skip
    returnee = d.person(case, by="uzgen_inspector", at=d.ago(130, 2), last_name="Жээнбекова", first_name="Бегимай",
                        sex="female", date_of_birth=born(22, 40, before=today), citizenship="KG",
                        identity_established_by="other_document", id_document_type="Кайтып келүү күбөлүгү")  # fmt: skip
    d.screen(case, by="uzgen_inspector", at=d.ago(129, 2), victim=returnee,
             facts={"acts": ["recruitment", "transportation"], "means": ["deception", "coercion"],
                    "purposes": ["sexual_exploitation"], "exploitation_occurred": ["sexual_exploitation"],
                    "moved_across_kr_border": True},
             indicators=["held_against_will", "no_documents_or_relatives"],
             vulnerability_factors=["false_picture_abroad", "economic_hardship"])  # fmt: skip
    d.done(case, code="rapport_registration", by="uzgen_inspector", at=d.ago(128, 20))
    d.register(case, by="uzgen_head", at=d.ago(128, 6))
    d.update(case, by="uzgen_head", at=d.ago(20, 3), status=Case.Status.CLOSED)

    # A man with a mental disorder kept five years on a rice farm for food: Art. 166 (slavery); registered.
    case = d.case(by="uzgen_inspector", source=S.CITIZEN, received=d.ago(16, 6), incident_at=d.ago(17, 2),
                  incident_place="Өзгөн району, Жылаагач айылы, күрүч талаасы",
                  summary="Акыл-эси жагынан оорулуу киши беш жылдан бери бир фермердин күрүч талаасында тамак үчүн "
                          "иштетилип, сарайда жашап келген.")  # fmt: skip
    farmhand = d.person(case, by="uzgen_inspector", at=d.ago(16, 4), last_name="Акматов", first_name="Бакыт",
                        sex="male", date_of_birth=born(45, 200, before=today), citizenship="KG",
                        identity_established_by="databases")  # fmt: skip
    d.site(case, by="uzgen_inspector", at=d.ago(16, 3), location="Өзгөн району, Жылаагач айылы, фермердин сарайы",
           other_victims="no")  # fmt: skip
    d.suspect(case, by="uzgen_inspector", at=d.ago(16, 2, 30), full_name="Ниязов Абдыкадыр", sex="male", age=60,
              armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="uzgen_inspector", at=d.ago(16, 2), victim=farmhand,
             facts={"acts": ["harbouring", "receipt"], "means": ["abuse_of_vulnerability"],
                    "vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True,
                    "purposes": ["slavery", "forced_labour"], "exploitation_occurred": ["forced_labour"]},
             indicators=["unfit_living_place", "no_access_to_earnings", "dependency_cruelty_vulnerability"],
             vulnerability=["mental_disorder", "disability"], vulnerability_kinds=["personal"])  # fmt: skip
    d.done(case, code="rapport_registration", by="uzgen_inspector", at=d.ago(15, 20))
    d.register(case, by="uzgen_head", at=d.ago(15, 4))

    # A 15-year-old girl kidnapped for a forced marriage, sexual violence the day before yesterday: Art. 167; the
    # 72 hours run out tomorrow, the referral is overdue.
    case = d.case(by="uzgen_inspector", source=S.CITIZEN, received=d.ago(1, 10), incident_at=d.ago(2, 2),
                  incident_place="Өзгөн району, Мырза-Аке айылы",
                  summary="Энеси кайрылды: 15 жаштагы кызын 30 жаштагы киши туугандары менен «ала качып», үйүндө "
                          "кармап турган; кыз зордукталганын айтты.")  # fmt: skip
    bride = d.person(case, by="uzgen_inspector", at=d.ago(1, 9), last_name="Мирзаева", first_name="Феруза",
                     sex="female", date_of_birth=born(15, 150, before=today), citizenship="KG",
                     identity_established_by="other_document",
                     id_document_type="Туулгандыгы тууралуу күбөлүк")  # fmt: skip
    d.representative(bride, by="uzgen_inspector", at=d.ago(1, 8, 40), full_name="Мирзаева Зулайка",
                     relation="mother", phone="+996 779 204 118")  # fmt: skip
    d.suspect(case, by="uzgen_inspector", at=d.ago(1, 8, 30), full_name="Абдыжапаров Канат", sex="male", age=30,
              possible_locations="Өзгөн району, Мырза-Аке айылы", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="uzgen_inspector", at=d.ago(1, 8), victim=bride,
             facts={"acts": ["receipt", "harbouring"], "purposes": ["forced_marriage"]},
             indicators=["held_against_will"], vulnerability=["young_age", "gender"], sexual_violence=True)  # fmt: skip
    d.done(case, code="notify_kib", by="uzgen_inspector", at=d.ago(1, 7))
    d.done(case, code="refer_child_social_services", by="uzgen_inspector", at=d.ago(1, 2))
    d.update(case, by="uzgen_head", at=d.ago(1, 1), status=Case.Status.CHECK)

    # A mother's complaint passed on by an NGO: her daughter is held at a café in Kazan; who sent her is unknown.
    case = d.case(by="uzgen_inspector", source=S.NGO, received=d.ago(2, 3), incident_place="Россия, Казань шаары",
                  country_origin=True,
                  summary="ОО «Ак-Ниет» передало обращение матери: дочь (19 лет) работает в кафе в Казани, хозяин "
                          "удерживает паспорт и не отпускает домой; кто её туда отправил, неизвестно.")  # fmt: skip
    daughter = d.person(case, by="uzgen_inspector", at=d.ago(2, 1), last_name="Курбанова", first_name="Нилуфар",
                        sex="female", date_of_birth=born(19, 95, before=today), citizenship="KG",
                        identity_established_by="witnesses")  # fmt: skip
    d.screen(case, by="uzgen_inspector", at=d.ago(1, 2), victim=daughter, facts={"purposes": ["forced_labour"]},
             indicators=["no_documents_or_relatives", "held_against_will"])  # fmt: skip
    d.update(case, by="uzgen_head", at=d.ago(1, 0, 30), status=Case.Status.CHECK)

    # A call to the 1899 line forty minutes ago about children working at a canteen: nobody recorded yet.
    d.case(by="uzgen_head", source=S.HOTLINE_1899, received=d.ago(minutes=40), assigned_officer="uzgen_inspector",
           incident_place="Өзгөн базары, ашкана",
           summary="1899 линиясына аял чалды: базардагы ашканада 13–14 жаштагы эки бала түнү-күнү иштейт.")  # fmt: skip

    # A boy washing dishes at night in a raid; his parents know, nobody exploits him: nothing to establish; closed.
    case = d.case(by="uzgen_inspector", source=S.RAID, received=d.ago(70, 8), incident_at=d.ago(70, 9),
                  incident_place="Өзгөн шаары, кафе",
                  summary="«Бала» рейдинде кечки саат 23тө кафеде идиш жууп жаткан 14 жаштагы бала табылды. "
                          "Ата-энеси билет, каникулда өз эрки менен иштейт.")  # fmt: skip
    dishwasher = d.person(case, by="uzgen_inspector", at=d.ago(70, 7), last_name="Орозбаев", first_name="Эмир",
                          sex="male", date_of_birth=born(14, 170, before=today), citizenship="KG",
                          identity_established_by="witnesses")  # fmt: skip
    d.screen(case, by="uzgen_inspector", at=d.ago(70, 5), victim=dishwasher, facts={})
    d.done(case, code="establish_act", by="uzgen_inspector", at=d.ago(67, 4))
    d.done(case, code="establish_purpose", by="uzgen_inspector", at=d.ago(67, 3, 50))
    d.update(case, by="uzgen_head", at=d.ago(66, 3), status=Case.Status.CLOSED)

    # A young man taken by bus through Kazakhstan to a building site in Russia: Art. 166 and part 2 item 5; referred.
    case = d.case(by="uzgen_inspector", source=S.VICTIM, received=d.ago(28, 5), incident_at=d.ago(120, 3),
                  incident_place="Россия Федерациясы, Новосибирск шаары", country_origin=True,
                  summary="Жигит өзү кайрылды: Россиядагы курулушка Казакстан аркылуу автобус менен алып барышып, "
                          "паспортун алып, үч ай акысыз иштетишкен; качып кайткан.")  # fmt: skip
    migrant = d.person(case, by="uzgen_inspector", at=d.ago(28, 3), last_name="Мамбетов", first_name="Жоомарт",
                       sex="male", date_of_birth=born(24, 280, before=today), citizenship="KG",
                       identity_established_by="databases")  # fmt: skip
    d.screen(case, by="uzgen_inspector", at=d.ago(28, 1), victim=migrant,
             facts={"acts": ["recruitment", "transportation", "receipt"], "means": ["deception", "coercion"],
                    "purposes": ["forced_labour"], "exploitation_occurred": ["forced_labour"],
                    "moved_across_kr_border": True},
             indicators=["no_documents_or_relatives", "no_access_to_earnings"],
             vulnerability_factors=["economic_hardship", "poor_migration_knowledge"])  # fmt: skip
    d.done(case, code="rapport_registration", by="uzgen_inspector", at=d.ago(27, 20))
    d.register(case, by="uzgen_head", at=d.ago(27, 6))
    d.update(case, by="uzgen_head", at=d.ago(25, 2), status=Case.Status.REFERRED)
