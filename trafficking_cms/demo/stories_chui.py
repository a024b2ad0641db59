"""The cases of Chui oblast's two district departments: Alamudun (15) and Sokuluk (8).

The browser tests rely on some of these: Aiperi Sydykova's case (a child, Art. 167, every due item open), Aliya
Nurlanova's (a foreign adult, КБР 01-2026-004512, the inspector's only registered case) and the 1899 call assigned to
the inspector, the newest case on the inspector's list. The oblast head's first page holds every case of both
districts, so together they stay within one page of the list (25).
"""

from datetime import timedelta

from cases.models import Attachment, Case

from .builder import DemoBuilder, born
from .files import pdf, png

HOUR = timedelta(hours=1)
S = Case.Source


def alamudun(d: DemoBuilder) -> None:
    today = d.now.date()

    # A 16-year-old girl lured with "a job in a café" and held in a flat: Art. 167, screened yesterday, nothing done.
    case = d.case(by="inspector", source=S.OWN_DUTIES, received=d.ago(1, 20), incident_at=d.ago(2, 14),
                  incident_place="Аламүдүн району, Лебединовка айылы", country_origin=True,
                  summary="16 жаштагы кызды «кафеде иш бар» деп азгырып, Бишкектеги батирде кармап турушкан. "
                          "Кыз кошунасынын телефонунан энесине чалып, дарегин айткан.")  # fmt: skip
    girl = d.person(case, by="inspector", at=d.ago(1, 19), last_name="Сыдыкова", first_name="Айпери",
                    patronymic="Бакытовна", last_name_latin="Sydykova", first_name_latin="Aiperi", sex="female",
                    date_of_birth=born(16, 40, before=today), citizenship="KG",
                    residence_address="Аламүдүн району, Лебединовка айылы", phone="+996 555 123 456",
                    identity_established_by="id_document", id_document_type="ID-карта",
                    id_document_number="ID1234567")  # fmt: skip
    mother = d.representative(girl, by="inspector", at=d.ago(1, 18, 30), full_name="Сыдыкова Нуржан Асановна",
                              relation="mother", address="Аламүдүн району, Лебединовка айылы")  # fmt: skip
    d.steps(case, by="inspector", at=d.ago(1, 18), every=HOUR / 2,
            codes=("check_report", "establish_identity", "interview", "assess_risks"))  # fmt: skip
    d.suspect(case, by="inspector", at=d.ago(1, 17), nickname="«Бака»", sex="male", age=35,
              appearance="Бою узун, сакалчан, кара «Камри» айдайт",
              possible_locations="Бишкек ш., Ош базарынын жанында", armed="unknown", sane="yes")  # fmt: skip
    d.site(case, by="inspector", at=d.ago(1, 16, 45), location="Бишкек ш., Жибек Жолу көч., батир",
           other_victims="yes", other_victims_notes="Дагы эки кыз болушу мүмкүн")  # fmt: skip
    d.attach(case, by="inspector", at=d.ago(1, 16, 30), name="Түшүндүрмө кат.pdf", kind=Attachment.Kind.STATEMENT,
             content=pdf("Demo document", "Statement of the victim, written with her mother present."))  # fmt: skip
    d.screen(case, by="inspector", at=d.ago(1, 16), victim=girl,
             facts={"acts": ["recruitment", "harbouring"], "purposes": ["sexual_exploitation"]},
             indicators=["held_against_will", "no_contact_with_relatives"], vulnerability=["young_age"],
             sexual_violence=True)  # fmt: skip
    # the mother agreed to tell the crisis centre who and what, not where they live; the referrals wait as drafts
    d.consent(girl, d.recipient("demo-ngo-a"), by="inspector", at=d.ago(1, 15), given=("identity", "case_facts"),
              refused=("whereabouts",), given_by="legal_representative", representative=mother)  # fmt: skip
    d.update(case, by="supervisor", at=d.ago(1, 10), status=Case.Status.CHECK)
    d.read(case, by="kib_officer", at=d.ago(1, 12))
    d.read(case, by="supervisor", at=d.ago(1, 9), record=girl)

    # A citizen of Kazakhstan brought to Bishkek as "a waitress": Art. 166 and part 2 item 5, registered; the head
    # decided to inform International Cooperation, which now has the case.
    case = d.case(by="inspector", source=S.NGO, received=d.ago(12, 5), incident_at=d.ago(14, 8),
                  incident_place="Бишкек ш.", country_destination=True, country_transit=True,
                  summary="«Ишеним» кризистик борбору кабарлады: Казакстандын жараны Бишкекке «официант» болуп "
                          "иштөөгө алынып келинген, паспорту алынып, кафенин үстүндөгү бөлмөдө кармалган.")  # fmt: skip
    woman = d.person(case, by="inspector", at=d.ago(12, 4), last_name="Нурланова", first_name="Алия",
                     last_name_latin="Nurlanova", first_name_latin="Aliya", sex="female",
                     date_of_birth=born(27, 150, before=today), citizenship="KZ",
                     foreign_status_documents="Казакстан Республикасынын паспорту",
                     receiving_organisation="«Ишеним» кризистик борбору",
                     temporary_residence_address="Кризистик борбордун баш калкалоочу жайы",
                     identity_established_by="other_document")  # fmt: skip
    d.steps(case, by="inspector", at=d.ago(12, 3, 40), every=HOUR / 3,
            codes=("check_report", "establish_identity", "interview", "advise_documents"))  # fmt: skip
    d.attach(case, by="inspector", at=d.ago(12, 2, 30), name="Паспорттун көчүрмөсү.png",
             kind=Attachment.Kind.DOCUMENT, content=png(seed=1))  # fmt: skip
    d.suspect(case, by="inspector", at=d.ago(12, 2, 20), nickname="«Арман»", sex="male", age=40,
              identifying_data="Казакстандын жараны, «официанттарды» Алматыдан жөнөтөт", armed="no",
              sane="yes")  # fmt: skip
    d.screen(case, by="inspector", at=d.ago(12, 2), victim=woman,
             facts={"acts": ["recruitment", "transportation"], "means": ["deception"],
                    "purposes": ["sexual_exploitation"], "moved_across_kr_border": True},
             indicators=["held_against_will"], vulnerability=["illegal_stay"])  # fmt: skip
    d.steps(case, by="inspector", at=d.ago(11, 20), every=HOUR, codes=("write_rapport",))
    d.done(case, code="rapport_registration", by="inspector", at=d.ago(11, 19, 50))
    d.register(case, by="duty_officer", at=d.ago(11, 3), number="01-2026-004512")
    d.decide_intl(case, by="supervisor", at=d.ago(10, 6), inform=True,
                  note="Казакстан Республикасынын ИИМине маалымат жиберүү үчүн")  # fmt: skip
    d.grant(case, to="intl_cooperation", by="supervisor", at=d.ago(10, 5, 50))
    d.read(case, by="intl_cooperation", at=d.ago(9, 22), record=woman)

    # Calls the 1899 desk passed to the duty unit: one forty minutes ago, waiting to be taken up; one last week, whose
    # case was registered in the КБР (the desk was told, and closed the call).
    d.call(by="hotline", at=d.ago(minutes=40), district="alamudun", caller="witness", urgency="urgent",
           caller_name="Бообекова Тынара", caller_phone="+996 705 44 12 90", callback_consent=True,
           place="Аламүдүн району, Кой-Таш айылы",
           summary="Кошунасы чалды: короодо үч жаш жигит камалып, күнү-түнү курулушта иштетилет, паспорттору "
                   "ээсинде экенин айтышат.")  # fmt: skip
    call = d.call(by="hotline", at=d.ago(8, 3), district="alamudun", caller="relative", urgency="normal",
                  callback_consent=False, place="Бишкек ш., Дордой базары",
                  summary="Агасы чалды: иниси Дордойдо «карыз» үчүн акысыз иштетилип, үйгө кайтпай жүрөт.")  # fmt: skip
    d.done(call.case, code="take_up_report", by="duty_officer", at=d.ago(8, 2), note="Нөөмөт бөлүмү кабыл алды.")
    d.update(call.case, by="supervisor", at=d.ago(8, 1), assigned_officer="alamudun_officer")
    d.register(call.case, by="duty_officer", at=d.ago(7, 5))
    d.close_call(call, by="hotline", at=d.ago(7, 4))

    # A call to the 1899 line an hour ago, assigned to the juvenile inspector: nobody recorded yet.
    d.case(by="hotline", source=S.HOTLINE_1899, received=d.ago(hours=1, minutes=10), assigned_officer="inspector",
           incident_place="Аламүдүн району, Васильевка айылы", country_origin=True,
           summary="Энеси 1899 линиясына чалды: 15 жаштагы кызын Instagram аркылуу Москвага «бийчи» болуп "
                   "иштөөгө чакырышкан, эртең жолго чыкмак. Кыздын телефону өчүк.")  # fmt: skip

    # A man forced to work on a building site near Moscow, reported on the 1899 line: the means are not established
    # yet, and the item to establish them is overdue.
    case = d.case(by="duty_officer", source=S.HOTLINE_1899, received=d.ago(5, 6), incident_at=d.ago(40, 4),
                  assigned_officer="alamudun_officer", incident_place="Россия Федерациясы, Москва облусу",
                  country_origin=True, summary="Курулушта мажбурлап иштетүү, паспорту алынып коюлган. "
                                               "Агасы 1899 линиясына чалган.")  # fmt: skip
    worker = d.person(case, by="duty_officer", at=d.ago(5, 5), last_name="Осмонов", first_name="Эрлан",
                      last_name_latin="Osmonov", first_name_latin="Erlan", sex="male",
                      date_of_birth=born(32, 200, before=today), citizenship="KG",
                      identity_established_by="witnesses")  # fmt: skip
    d.screen(case, by="duty_officer", at=d.ago(5, 4), victim=worker,
             facts={"acts": ["recruitment", "transportation"], "purposes": ["forced_labour"], "crossed_border": True},
             indicators=["no_documents_or_relatives", "no_access_to_earnings"], vulnerability=["financial_hardship"],
             vulnerability_factors=["economic_hardship", "false_picture_abroad"])  # fmt: skip
    d.update(case, by="supervisor", at=d.ago(4, 22), status=Case.Status.CHECK)
    d.steps(case, by="alamudun_officer", at=d.ago(4, 20), every=HOUR,
            codes=("check_report", "establish_identity", "interview"))  # fmt: skip

    # A boy begging at the bazaar, found in a raid, age not established: a child by presumption; Art. 167, referred.
    case = d.case(by="inspector", source=S.RAID, received=d.ago(20, 9), incident_place="Аламүдүн базары",
                  summary="«Бала» алдын алуу рейди учурунда базарда 11–12 жаштардагы бала кайыр сурап жүргөн "
                          "жеринен табылды. Аны бир аял күн сайын алып келип, акчасын алып турат.")  # fmt: skip
    boy = d.person(case, by="inspector", at=d.ago(20, 8), first_name="Бекзат", sex="male", appears_minor=True,
                   citizenship="KG")  # fmt: skip
    body = d.representative(boy, by="inspector", at=d.ago(20, 7, 30),
                            full_name="Аламүдүн районунун балдарды коргоо бөлүмү",
                            relation="child_protection_body")  # fmt: skip
    d.suspect(case, by="inspector", at=d.ago(20, 7), nickname="«Зарина эже»", sex="female", age=45,
              possible_locations="Аламүдүн базарынын артындагы батирлер", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="inspector", at=d.ago(20, 6), victim=boy,
             facts={"acts": ["harbouring", "receipt"], "purposes": ["forced_begging"]},
             indicators=["dependency_cruelty_vulnerability", "unfit_living_place"],
             vulnerability=["young_age", "family_situation"])  # fmt: skip
    d.done(case, code="notify_kib", by="kib_officer", at=d.ago(20, 5, 40))
    d.done(case, code="notify_duty_officer", by="duty_officer", at=d.ago(20, 5, 30))
    d.done(case, code="rapport_registration", by="inspector", at=d.ago(20, 2))
    for recipient in (d.recipient("chui-social"), d.recipient("demo-ngo-a")):
        d.consent(boy, recipient, by="inspector", at=d.ago(20, 0, 30), given=("identity", "health", "case_facts"),
                  given_by="legal_representative", representative=body)  # fmt: skip
    d.done(case, code="refer_child_social_services", by="inspector", at=d.ago(19, 22))
    d.done(case, code="inform_ngo", by="inspector", at=d.ago(19, 20))
    shelter = d.routed(case, "inform_ngo")
    d.accept(shelter, by="ngo", at=d.ago(19, 14))
    d.service(shelter, by="ngo", at=d.ago(19, 9), service="shelter", note="Балдар бөлмөсүнө жайгаштырылды.")
    d.service(shelter, by="ngo", at=d.ago(12, 4), service="psychological", note="Психолог менен 4 жолугушуу.")
    social = d.routed(case, "refer_child_social_services")
    d.answer(social, at=d.ago(19, 3), service="social")
    d.answer(social, at=d.ago(9, 5), accept=False, close=True)
    d.steps(case, by="inspector", at=d.ago(20, 5), every=HOUR,
            codes=("check_report", "establish_identity", "interview", "assess_risks", "write_rapport"))  # fmt: skip
    d.register(case, by="duty_officer", at=d.ago(19, 10))
    d.update(case, by="supervisor", at=d.ago(18, 3), status=Case.Status.REFERRED)

    # A young man who went to Kazakhstan on his own and is working there freely: not trafficking; closed.
    case = d.case(by="investigator", source=S.CITIZEN, received=d.ago(64, 5), incident_at=d.ago(80, 10),
                  incident_place="Казакстан, Алматы шаары",
                  summary="Атасы уулу Казакстанга кетип, байланышы үзүлгөнүн айтты. Текшерүүдө ал Алматыдагы "
                          "базарда өз эрки менен иштеп жүргөнү, эч ким кармабаганы аныкталды.")  # fmt: skip
    son = d.person(case, by="investigator", at=d.ago(64, 4), last_name="Турсунбаев", first_name="Адилет",
                   sex="male", date_of_birth=born(24, 70, before=today), citizenship="KG",
                   identity_established_by="databases")  # fmt: skip
    d.steps(case, by="investigator", at=d.ago(63, 2), every=timedelta(days=1),
            codes=("check_report", "establish_identity", "interview"))  # fmt: skip
    d.screen(case, by="investigator", at=d.ago(60, 3), victim=son, facts={"crossed_border": True})
    d.update(case, by="supervisor", at=d.ago(58, 4), status=Case.Status.CLOSED)

    # A bride kidnapping: the young woman escaped and came in herself. Violence against a woman and a high risk:
    # protective measures and the rapport at once; registered.
    case = d.case(by="duty_officer", source=S.VICTIM, received=d.ago(1, 2), incident_at=d.ago(4, 3),
                  assigned_officer="alamudun_officer", incident_place="Аламүдүн району, Кой-Таш айылы",
                  country_origin=True,
                  summary="Жабырлануучу өзү кайрылды: үч күн мурун аны «ала качып», бир үйдө кармап, күйөөгө "
                          "тийүүгө мажбурлашкан. Түндө качып чыгып, бөлүмгө келген.")  # fmt: skip
    bride = d.person(case, by="duty_officer", at=d.ago(1, 1, 40), last_name="Ормонова", first_name="Нуриза",
                     sex="female", date_of_birth=born(19, 120, before=today), citizenship="KG",
                     phone="+996 700 418 223", identity_established_by="id_document", id_document_type="ID-карта",
                     id_document_number="ID2288140")  # fmt: skip
    d.screen(case, by="duty_officer", at=d.ago(1, 1), victim=bride,
             facts={"acts": ["receipt", "harbouring"], "means": ["abduction", "threat"],
                    "purposes": ["forced_marriage"]},
             indicators=["held_against_will"], vulnerability=["gender", "family_situation"],
             violence_against_women=True, high_risk=True)  # fmt: skip
    d.done(case, code="protective_measures", by="duty_officer", at=d.ago(0, 23, 30))
    d.suspect(case, by="alamudun_officer", at=d.ago(0, 23), full_name="Мамбеталиев Эмил", sex="male", age=27,
              possible_locations="Аламүдүн району, Кой-Таш айылы", armed="no", sane="yes")  # fmt: skip
    d.steps(case, by="alamudun_officer", at=d.ago(0, 22, 30), every=HOUR / 4,
            codes=("check_report", "establish_identity", "interview", "assess_risks", "write_rapport"))  # fmt: skip
    d.done(case, code="rapport_immediately", by="alamudun_officer", at=d.ago(0, 21, 20))
    d.register(case, by="investigator", at=d.ago(0, 18))

    # Two young women found in a raid on a sauna: Art. 166, the exploitation carried out as well; registered.
    case = d.case(by="kib_officer", source=S.RAID, received=d.ago(9, 2), incident_at=d.ago(9, 3),
                  assigned_officer="investigator",
                  incident_place="Аламүдүн району, Ала-Арча көчөсү, «Жибек» саунасы",
                  summary="В ходе рейда в сауне выявлены две девушки, которых администратор принуждал к оказанию "
                          "интимных услуг, удерживая их паспорта и требуя вернуть «долг» за дорогу.")  # fmt: skip
    first = d.person(case, by="kib_officer", at=d.ago(9, 1), last_name="Сейитказиева", first_name="Айжан",
                     sex="female", date_of_birth=born(23, 12, before=today), citizenship="KG",
                     residence_address="Нарын облусу, Ат-Башы району", identity_established_by="databases")  # fmt: skip
    second = d.person(case, by="kib_officer", at=d.ago(9, 0, 40), last_name="Касымова", first_name="Чолпон",
                      sex="female", date_of_birth=born(20, 300, before=today), citizenship="KG",
                      identity_established_by="witnesses")  # fmt: skip
    d.suspect(case, by="kib_officer", at=d.ago(9, 0, 30), full_name="Ким Виктор", sex="male", age=41,
              appearance="Сауналардын администратору", armed="unknown", sane="yes")  # fmt: skip
    d.suspect(case, by="kib_officer", at=d.ago(9, 0, 25), nickname="«Мадина эже»", sex="female", age=50,
              identifying_data="Кыздарды Нарындан «жумушка» чакырат", armed="no", sane="yes")  # fmt: skip
    d.site(case, by="kib_officer", at=d.ago(9, 0, 20), location="Аламүдүн району, «Жибек» саунасы",
           description="Экинчи кабаттагы үч бөлмө, эшиги сырттан кулпуланат", other_victims="unknown")  # fmt: skip
    d.attach(case, by="kib_officer", at=d.ago(9, 0, 10), name="Сауна - сүрөт.png", kind=Attachment.Kind.PHOTO,
             content=png(seed=2))  # fmt: skip
    exploited = {"acts": ["harbouring", "receipt"], "means": ["coercion", "abuse_of_vulnerability"],
                 "vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True,
                 "purposes": ["sexual_exploitation"], "exploitation_occurred": ["sexual_exploitation"]}  # fmt: skip
    d.screen(case, by="kib_officer", at=d.ago(8, 20), victim=first, facts=exploited,
             indicators=["no_documents_or_relatives", "no_access_to_earnings", "held_against_will"],
             vulnerability=["financial_hardship"], vulnerability_factors=["economic_hardship"])  # fmt: skip
    d.done(case, code="rapport_registration", by="kib_officer", at=d.ago(8, 12))
    d.register(case, by="duty_officer", at=d.ago(8, 10))
    d.screen(case, by="investigator", at=d.ago(8, 2), victim=second, facts=exploited,
             indicators=["no_documents_or_relatives", "held_against_will"],
             vulnerability=["young_or_old_age"])  # fmt: skip

    # A woman who sells sex by her own choice, on terms agreed in advance: Art. 159/160, the rapport due today.
    case = d.case(by="alamudun_officer", source=S.CITIZEN, received=d.ago(hours=22),
                  incident_place="Аламүдүн району, Таш-Дөбө айылы, көп кабаттуу үй",
                  summary="Кошунасы кабарлады: батирде кыздар «клиенттерди» кабыл алышат. Текшерүүдө аял өз эрки "
                          "менен, алдын ала макулдашылган шартта иштегени, эркиндиги чектелбегени аныкталды; "
                          "батирдин ээси акчанын бир бөлүгүн алат.")  # fmt: skip
    tenant = d.person(case, by="alamudun_officer", at=d.ago(hours=20), last_name="Лебедева", first_name="Кристина",
                      last_name_latin="Lebedeva", first_name_latin="Kristina", sex="female",
                      date_of_birth=born(24, 30, before=today), citizenship="KG",
                      identity_established_by="id_document", id_document_type="ID-карта",
                      id_document_number="ID3390517")  # fmt: skip
    d.suspect(case, by="alamudun_officer", at=d.ago(hours=19), full_name="Сулайманова Асель", sex="female", age=38,
              appearance="Батирдин ээси", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="alamudun_officer", at=d.ago(hours=10), victim=tenant,
             facts={"acts": ["recruitment"], "purposes": ["sexual_exploitation"],
                    "free_consent_prostitution": True})  # fmt: skip
    d.update(case, by="supervisor", at=d.ago(hours=8), status=Case.Status.CHECK)
    # Its rapport, written and submitted: waiting for the head's approval (the head's print queue shows it).
    d.rapport(case, by="alamudun_officer", at=d.ago(hours=7),
              items={"traces": "Денесинде жана кийиминде зордуктун издери жок.",
                     "consequences": "Аялдын эркиндиги чектелген эмес; батирдин ээси сойкулук үчүн жай берип, "
                                     "акчанын бир бөлүгүн алып турган (КЖК 159, 160-беренелери)."},
              unknown=("sites",), submit_at=d.ago(hours=6))  # fmt: skip

    # An advertisement on Telegram: nobody known yet, the criminal investigation officer checks who placed it.
    d.case(by="kib_officer", source=S.MEDIA, received=d.ago(2, 5), incident_place="Интернет (Telegram-канал)",
           summary="Telegram-каналда «Түркияга бала багуучу керек, жол акысы бекер, айлыгы 1000 доллар» деген "
                   "жарыя тарап жатат. Жарыяны берген адамды аныктоо керек.")  # fmt: skip

    # A 15-year-old boy working unpaid at a car wash: Art. 167; referred, but the NGO was never informed (overdue).
    case = d.case(by="inspector", source=S.CITIZEN, received=d.ago(7, 4), incident_at=d.ago(8, 2),
                  incident_place="Аламүдүн району, Байтик айылы, унаа жуучу жай",
                  summary="15 жаштагы бала унаа жуучу жайда күнүнө 14 саат акысыз иштетилип, ошол жерде уктап "
                          "жүргөн; ээси «карызың бар» деп үйүнө жибербейт.")  # fmt: skip
    washer = d.person(case, by="inspector", at=d.ago(7, 3), last_name="Токторов", first_name="Нурсултан",
                      sex="male", date_of_birth=born(15, 210, before=today), citizenship="KG",
                      residence_address="Аламүдүн району, Байтик айылы", identity_established_by="other_document",
                      id_document_type="Туулгандыгы тууралуу күбөлүк")  # fmt: skip
    mother = d.representative(washer, by="inspector", at=d.ago(7, 2), full_name="Токторова Гүлнара",
                              relation="mother", phone="+996 772 310 554")  # fmt: skip
    d.suspect(case, by="inspector", at=d.ago(7, 1), full_name="Эшиев Руслан", sex="male", age=36,
              appearance="Унаа жуучу жайдын ээси", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="inspector", at=d.ago(6, 20), victim=washer,
             facts={"acts": ["receipt", "harbouring"], "purposes": ["forced_labour"]},
             indicators=["held_against_will", "unfit_living_place", "dependency_cruelty_vulnerability"],
             vulnerability=["young_age", "poverty"], vulnerability_factors=["economic_hardship"])  # fmt: skip
    d.done(case, code="notify_kib", by="inspector", at=d.ago(6, 19))
    d.done(case, code="notify_duty_officer", by="inspector", at=d.ago(6, 19))
    d.done(case, code="rapport_registration", by="inspector", at=d.ago(6, 12))
    consents = d.consent(washer, d.recipient("demo-ngo-a"), by="inspector", at=d.ago(6, 11),
                         given=("identity", "contacts", "case_facts"), refused=("whereabouts", "health"),
                         given_by="legal_representative", representative=mother)  # fmt: skip
    d.done(case, code="refer_child_social_services", by="inspector", at=d.ago(6, 10))
    d.done(case, code="inform_ngo", by="inspector", at=d.ago(6, 9))
    d.withdraw_consent(next(c for c in consents if c.category == "contacts"), by="inspector", at=d.ago(3, 2),
                       note="Энеси телефон номерин уюмга бербөөнү суранды.")  # fmt: skip
    d.register(case, by="duty_officer", at=d.ago(6, 2))
    d.update(case, by="supervisor", at=d.ago(4, 5), status=Case.Status.REFERRED)

    # A girl seen at a night club, reported on the 1899 line: no act established yet; her referral is overdue.
    case = d.case(by="hotline", source=S.HOTLINE_1899, received=d.ago(1, 8), assigned_officer="inspector",
                  incident_place="Аламүдүн району, «Ала-Тоо» түнкү клубу",
                  summary="Түнкү клубдун кароолчусу 1899га чалды: 16–17 жаштардагы кыз түн сайын клубда чоң "
                          "кишилер менен отурат, аны бир эркек алып келип, алып кетет.")  # fmt: skip
    girl = d.person(case, by="inspector", at=d.ago(1, 4), first_name="Айдана", sex="female", approximate_age=16,
                    citizenship="KG")  # fmt: skip
    d.screen(case, by="inspector", at=d.ago(1, 2), victim=girl, facts={"purposes": ["sexual_exploitation"]},
             indicators=["dependency_cruelty_vulnerability"], vulnerability=["young_age"])  # fmt: skip
    d.update(case, by="supervisor", at=d.ago(hours=20), status=Case.Status.CHECK)

    # A man offered money for a kidney and stopped at the airport: Art. 166 (removal of organs); registered.
    case = d.case(by="investigator", source=S.DUTY_UNIT, received=d.ago(15, 4), incident_at=d.ago(15, 9),
                  incident_place="«Манас» эл аралык аэропорту", country_origin=True,
                  summary="Дежурная часть передала сообщение: мужчине предложили продать почку в клинике за "
                          "рубежом за 15 000 долларов и оплатили билет до Стамбула. Остановлен в аэропорту до "
                          "вылета.")  # fmt: skip
    donor = d.person(case, by="investigator", at=d.ago(15, 3), last_name="Жумалиев", first_name="Тилек",
                     sex="male", date_of_birth=born(31, 90, before=today), citizenship="KG",
                     identity_established_by="id_document", id_document_type="Паспорт",
                     id_document_number="AN4471902")  # fmt: skip
    d.suspect(case, by="investigator", at=d.ago(15, 2), nickname="«Доктор Али»", sex="male", age=50,
              identifying_data="Түркиянын номери менен WhatsApp аркылуу байланышат", armed="unknown",
              sane="yes")  # fmt: skip
    d.screen(case, by="investigator", at=d.ago(15, 1), victim=donor,
             facts={"acts": ["recruitment", "transportation"], "means": ["deception", "abuse_of_vulnerability"],
                    "vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True,
                    "purposes": ["organ_removal"]},
             vulnerability=["financial_hardship"], vulnerability_factors=["economic_hardship"])  # fmt: skip
    # The rapport: written by the investigator, approved by the head, registered in the КБР; printed as PDF.
    d.rapport(case, by="investigator", at=d.ago(14, 22),
              items={"traces": "Жабырлануучунун денесинде жана кийиминде кылмыштын издери табылган жок; медициналык "
                               "кароодо операция жасалбаганы аныкталды.",
                     "consequences": "Ден соолугуна зыян келтирилген жок: бөйрөгү алынганга чейин аэропорттон "
                                     "токтотулду. Паспорту жана учак билети «Доктор Али» тарабынан берилген; "
                                     "жабырлануучу психологиялык басымга кабылган, 2 000 доллар «карызы» бар деп "
                                     "коркутулган."},
              unknown=("sites",), submit_at=d.ago(14, 21), approve=("supervisor", d.ago(14, 20)),
              register=("supervisor", d.ago(14, 18)), pdf=("ky", "ru"))  # fmt: skip

    # Two years of unpaid work on a farm in Kazakhstan: Art. 166 and part 2 item 5; registered, closed (to court).
    case = d.case(by="duty_officer", source=S.CITIZEN, received=d.ago(96, 4), incident_at=d.ago(110, 6),
                  assigned_officer="alamudun_officer", incident_place="Казакстан, Жамбыл облусу, ферма",
                  country_origin=True,
                  summary="Туугандары кайрылды: Казакстандагы фермада эки жыл акысыз иштетилген, документтери "
                          "алынган; кошуна айылдын тургуну аны «жакшы айлык» деп алып барган.")  # fmt: skip
    farmhand = d.person(case, by="alamudun_officer", at=d.ago(96, 2), last_name="Кадыров", first_name="Жыргалбек",
                        sex="male", date_of_birth=born(42, 15, before=today), citizenship="KG",
                        identity_established_by="databases")  # fmt: skip
    d.screen(case, by="alamudun_officer", at=d.ago(95, 2), victim=farmhand,
             facts={"acts": ["recruitment", "transportation", "harbouring"], "means": ["deception", "coercion"],
                    "purposes": ["forced_labour"], "exploitation_occurred": ["forced_labour"],
                    "moved_across_kr_border": True},
             indicators=["no_documents_or_relatives", "no_access_to_earnings", "unfit_living_place"],
             vulnerability=["financial_hardship", "poor_education"])  # fmt: skip
    d.steps(case, by="alamudun_officer", at=d.ago(95, 1), every=HOUR,
            codes=("check_report", "establish_identity", "interview", "advise_documents", "write_rapport"))  # fmt: skip
    d.done(case, code="rapport_registration", by="alamudun_officer", at=d.ago(94, 20))
    d.register(case, by="investigator", at=d.ago(94, 6))
    d.attach(case, by="investigator", at=d.ago(60, 3), name="Тергөөгө чейинки текшерүү.pdf",
             kind=Attachment.Kind.DOCUMENT,
             content=pdf("Demo document", "Materials of the pre-investigation check."))  # fmt: skip
    d.update(case, by="supervisor", at=d.ago(30, 2), status=Case.Status.CLOSED)

    # A young man back from Russia came in three hours ago: recorded, not screened yet.
    case = d.case(by="alamudun_officer", source=S.VICTIM, received=d.ago(hours=3),
                  incident_place="Россия Федерациясы, Екатеринбург шаары, склад", country_origin=True,
                  summary="Россиядан кайтып келген жигит өзү келди: Екатеринбургдагы складда жарым жыл айлыксыз "
                          "иштеген, паспортун «бригадир» кармап турган.")  # fmt: skip
    d.person(case, by="alamudun_officer", at=d.ago(hours=2, minutes=30), last_name="Сатаров", first_name="Азамат",
             sex="male", date_of_birth=born(27, 5, before=today), citizenship="KG",
             identity_established_by="other_document", id_document_type="Кайтып келүү күбөлүгү")  # fmt: skip


def sokuluk(d: DemoBuilder) -> None:
    today = d.now.date()

    # A young man went to Russia on his own and is free: not trafficking; closed.
    case = d.case(by="district_officer", source=S.CITIZEN, received=d.ago(61, 3), incident_at=d.ago(75, 8),
                  incident_place="Сокулук району, Кун-Туу айылы",
                  summary="Кошунасы 19 жаштагы жигит Россияга кетип, дайынсыз болгонун кабарлады. Текшерүүдө "
                          "жигит чек арадан өзү өтүп, Новосибирскиде таанышынын жанында иштеп жүргөнү "
                          "аныкталды.")  # fmt: skip
    young = d.person(case, by="district_officer", at=d.ago(61, 1), last_name="Асанов", first_name="Бакай",
                     sex="male", date_of_birth=born(19, 160, before=today), citizenship="KG",
                     identity_established_by="databases")  # fmt: skip
    d.screen(case, by="district_officer", at=d.ago(60, 2), victim=young, facts={"crossed_border": True})
    d.update(case, by="sokuluk_head", at=d.ago(57, 5), status=Case.Status.CLOSED)

    # Two young women stopped at the airport on their way to Dubai "as waitresses": Art. 166; registered.
    case = d.case(by="district_officer", source=S.OWN_DUTIES, received=d.ago(25, 6), incident_at=d.ago(25, 7),
                  incident_place="«Манас» эл аралык аэропорту", country_origin=True,
                  summary="Аэропорттогу текшерүүдө Дубайга «официант» болуп учуп бара жаткан эки кыз аныкталды: "
                          "билеттерин «агент» алып берген, паспорттору анын колунда болгон, ал жакта «карыз» "
                          "төлөп иштешет деп айтылган.")  # fmt: skip
    travellers = [
        d.person(case, by="district_officer", at=d.ago(25, 5), last_name="Кубатбекова", first_name="Элнура",
                 sex="female", date_of_birth=born(21, 44, before=today), citizenship="KG",
                 identity_established_by="id_document", id_document_type="Паспорт", id_document_number="AC2045871"),
        d.person(case, by="district_officer", at=d.ago(25, 4, 30), last_name="Жапарова", first_name="Мээрим",
                 sex="female", date_of_birth=born(20, 250, before=today), citizenship="KG",
                 identity_established_by="id_document", id_document_type="Паспорт", id_document_number="AC3310964"),
    ]  # fmt: skip
    d.suspect(case, by="district_officer", at=d.ago(25, 4), nickname="«Жанара эже»", sex="female", age=45,
              possible_locations="Бишкек ш., Ош базары", armed="no", sane="yes")  # fmt: skip
    d.attach(case, by="district_officer", at=d.ago(25, 3), name="Авиабилеттер.pdf", kind=Attachment.Kind.DOCUMENT,
             content=pdf("Demo document", "Two tickets Bishkek - Dubai, one way, paid by another person."))  # fmt: skip
    for position, traveller in enumerate(travellers):
        d.screen(case, by="district_officer", at=d.ago(25, 2 - position), victim=traveller,
                 facts={"acts": ["recruitment", "transportation"], "means": ["deception"],
                        "purposes": ["sexual_exploitation"]},
                 vulnerability=["financial_hardship"], vulnerability_factors=["false_picture_abroad"])  # fmt: skip
    d.done(case, code="rapport_registration", by="district_officer", at=d.ago(24, 10))
    d.register(case, by="sokuluk_head", at=d.ago(24, 5))

    # A boy of 12 begging at the Shopokov bazaar: Art. 167; referred, but three items are overdue.
    case = d.case(by="sokuluk_inspector", source=S.OWN_DUTIES, received=d.ago(3, 8), incident_at=d.ago(3, 10),
                  incident_place="Шопоков шаары, базар",
                  summary="Базарда 12 жаштагы бала кайыр сурап жүрөт; аны күн сайын таң эрте бир эркек машина "
                          "менен алып келип, кечинде акчасын алып кетет.")  # fmt: skip
    beggar = d.person(case, by="sokuluk_inspector", at=d.ago(3, 7), last_name="Абдыкеримов", first_name="Нурислам",
                      sex="male", date_of_birth=born(12, 100, before=today), citizenship="KG",
                      identity_established_by="witnesses")  # fmt: skip
    d.representative(beggar, by="sokuluk_inspector", at=d.ago(3, 6), full_name="Абдыкеримов Марат",
                     relation="father", phone="+996 555 870 312")  # fmt: skip
    d.suspect(case, by="sokuluk_inspector", at=d.ago(3, 5), nickname="«Кара»", sex="male", age=40,
              appearance="Ак «Спринтер» айдайт", armed="unknown", sane="yes")  # fmt: skip
    d.screen(case, by="sokuluk_inspector", at=d.ago(3, 4), victim=beggar,
             facts={"acts": ["transportation", "harbouring"], "purposes": ["forced_begging"]},
             indicators=["dependency_cruelty_vulnerability"], vulnerability=["young_age", "poverty"])  # fmt: skip
    d.done(case, code="notify_kib", by="sokuluk_inspector", at=d.ago(3, 3))
    d.done(case, code="refer_child_social_services", by="sokuluk_inspector", at=d.ago(2, 22))
    d.update(case, by="sokuluk_head", at=d.ago(2, 20), status=Case.Status.CHECK)

    # A woman kept a year as a domestic servant in Turkey, reported by the crisis centre: registered, referred.
    case = d.case(by="district_officer", source=S.NGO, received=d.ago(33, 5), incident_at=d.ago(300, 10),
                  incident_place="Түркия, Стамбул шаары", country_origin=True,
                  summary="«Ишеним» кризистик борбору кабарлады: аял Түркияга үй кызматчысы болуп жөнөтүлүп, "
                          "бир жыл үйдөн чыгарылбай, айлыгы берилбей иштетилген; элчилик аркылуу "
                          "кайтарылган.")  # fmt: skip
    servant = d.person(case, by="district_officer", at=d.ago(33, 3), last_name="Исмаилова", first_name="Айнура",
                       sex="female", date_of_birth=born(34, 20, before=today), citizenship="KG",
                       identity_established_by="other_document", id_document_type="Кайтып келүү күбөлүгү")  # fmt: skip
    d.screen(case, by="district_officer", at=d.ago(32, 4), victim=servant,
             facts={"acts": ["recruitment", "transportation", "receipt"],
                    "means": ["deception", "abuse_of_vulnerability"], "vulnerability_evidenced": True,
                    "vulnerability_abuse_evidenced": True, "purposes": ["servitude", "forced_labour"],
                    "exploitation_occurred": ["forced_labour"], "moved_across_kr_border": True},
             indicators=["held_against_will", "no_documents_or_relatives", "no_access_to_earnings"],
             vulnerability=["financial_hardship", "isolation"], vulnerability_kinds=["situational"],
             vulnerability_factors=["economic_hardship", "poor_migration_knowledge"])  # fmt: skip
    d.steps(case, by="district_officer", at=d.ago(32, 3), every=HOUR,
            codes=("check_report", "establish_identity", "interview", "advise_documents", "write_rapport"))  # fmt: skip
    d.attach(case, by="district_officer", at=d.ago(32, 2), name="Элчиликтин маалымкаты.pdf",
             kind=Attachment.Kind.DOCUMENT,
             content=pdf("Demo document", "Certificate of return issued by the embassy."))  # fmt: skip
    d.done(case, code="rapport_registration", by="district_officer", at=d.ago(31, 20))
    d.register(case, by="sokuluk_head", at=d.ago(31, 6))
    d.update(case, by="sokuluk_head", at=d.ago(29, 3), status=Case.Status.REFERRED)

    # A citizen of Uzbekistan unpaid at a brick works, without his passport: Art. 166; the rapport is overdue and
    # the head's decision on informing International Cooperation is due.
    case = d.case(by="district_officer", source=S.CITIZEN, received=d.ago(1, 16), incident_at=d.ago(2, 3),
                  incident_place="Сокулук району, Жаңы-Пахта айылы, кирпич заводу", country_destination=True,
                  summary="Кирпич заводунда Өзбекстандын жарандары паспортсуз, акысыз иштеп жатышат деген кабар "
                          "келди. Алардын бири эки айдан бери айлык албаганын, заводдон чыгууга уруксат жок экенин "
                          "айтты.")  # fmt: skip
    labourer = d.person(case, by="district_officer", at=d.ago(1, 12), last_name="Рахимов", first_name="Шерзод",
                        last_name_latin="Rakhimov", first_name_latin="Sherzod", sex="male",
                        date_of_birth=born(29, 77, before=today), citizenship="UZ",
                        foreign_status_documents="Өзбекстан Республикасынын паспорту (заводдун ээсинде)",
                        temporary_residence_address="Сокулук району, Жаңы-Пахта айылы, заводдун жатаканасы",
                        identity_established_by="witnesses")  # fmt: skip
    d.site(case, by="district_officer", at=d.ago(1, 11), location="Сокулук району, Жаңы-Пахта айылы, кирпич заводу",
           other_victims="yes", other_victims_notes="Дагы 6–7 жумушчу ошол шартта")  # fmt: skip
    d.suspect(case, by="district_officer", at=d.ago(1, 10), full_name="Турдубаев Асылбек", sex="male", age=52,
              appearance="Заводдун ээси", armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="district_officer", at=d.ago(1, 6), victim=labourer,
             facts={"acts": ["receipt", "harbouring"], "means": ["abuse_of_vulnerability", "coercion"],
                    "vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True,
                    "purposes": ["forced_labour"]},
             indicators=["no_documents_or_relatives", "no_access_to_earnings", "unfit_living_place"],
             vulnerability=["illegal_stay", "language"], vulnerability_factors=["demand_cheap_labour"])  # fmt: skip
    d.update(case, by="sokuluk_head", at=d.ago(1, 2), status=Case.Status.CHECK)

    # A 16-year-old girl given in marriage by her father for a bride price: sexual violence yesterday; the 72 hours
    # run from the incident; her father is a suspect, so the child-protection body acts for her.
    case = d.case(by="sokuluk_inspector", source=S.CITIZEN, received=d.ago(hours=22), incident_at=d.ago(1, 4),
                  incident_place="Сокулук району, Асылбаш айылы",
                  summary="Мектептин социалдык педагогу кабарлады: 16 жаштагы окуучуну атасы «калың» алып, 35 "
                          "жаштагы кишиге күйөөгө берген; кыз ал үйдөн качып чыгып, зордукталганын айтты.")  # fmt: skip
    pupil = d.person(case, by="sokuluk_inspector", at=d.ago(hours=21), last_name="Бактыбекова", first_name="Айзада",
                     sex="female", date_of_birth=born(16, 180, before=today), citizenship="KG",
                     identity_established_by="other_document",
                     id_document_type="Туулгандыгы тууралуу күбөлүк")  # fmt: skip
    d.representative(pupil, by="sokuluk_inspector", at=d.ago(hours=20, minutes=30), full_name="Бактыбеков Жолдош",
                     relation="father", is_suspect=True)  # fmt: skip
    d.representative(pupil, by="sokuluk_inspector", at=d.ago(hours=20),
                     full_name="Сокулук районунун балдарды коргоо бөлүмү",
                     relation="child_protection_body")  # fmt: skip
    d.suspect(case, by="sokuluk_inspector", at=d.ago(hours=19, minutes=30), full_name="Керимов Азат", sex="male",
              age=35, armed="no", sane="yes")  # fmt: skip
    d.suspect(case, by="sokuluk_inspector", at=d.ago(hours=19, minutes=20), full_name="Бактыбеков Жолдош",
              sex="male", age=47, armed="no", sane="yes")  # fmt: skip
    d.screen(case, by="sokuluk_inspector", at=d.ago(hours=18), victim=pupil,
             facts={"acts": ["transfer", "receipt"], "purposes": ["forced_marriage"]},
             indicators=["dependency_cruelty_vulnerability", "held_against_will"], vulnerability=["young_age"],
             sexual_violence=True, high_risk=True)  # fmt: skip
    d.done(case, code="protective_measures", by="sokuluk_inspector", at=d.ago(hours=17))
    d.update(case, by="sokuluk_head", at=d.ago(hours=15), status=Case.Status.CHECK)

    # A woman made dependent on drugs and sold: first the abuse of her dependency was not evidenced (means missing),
    # a second screening established it: Art. 166; registered.
    case = d.case(by="district_officer", source=S.RAID, received=d.ago(10, 3), incident_at=d.ago(10, 5),
                  incident_place="Сокулук району, Гавриловка айылы, жеке үй",
                  summary="Рейд учурунда үйдөн аял табылды: ага баңгизат берип, «карызын» төлөш үчүн эркектерге "
                          "сатышкан.")  # fmt: skip
    addicted = d.person(case, by="district_officer", at=d.ago(10, 2), last_name="Кожомуратова", first_name="Жазгүл",
                        sex="female", date_of_birth=born(28, 3, before=today), citizenship="KG",
                        identity_established_by="databases")  # fmt: skip
    d.screen(case, by="district_officer", at=d.ago(10, 1), victim=addicted,
             facts={"acts": ["harbouring"], "means": ["abuse_of_vulnerability"], "vulnerability_evidenced": True,
                    "vulnerability_abuse_evidenced": False, "purposes": ["sexual_exploitation"]},
             vulnerability=["substance_dependency", "drug_dependency_created"])  # fmt: skip
    d.screen(case, by="district_officer", at=d.ago(6, 5), victim=addicted,
             facts={"acts": ["harbouring"], "means": ["abuse_of_vulnerability", "coercion"],
                    "vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True,
                    "purposes": ["sexual_exploitation"], "exploitation_occurred": ["sexual_exploitation"]},
             vulnerability=["substance_dependency", "drug_dependency_created"], vulnerability_kinds=["personal"],
             notes="Кошуналардын көрсөтмөлөрү жана дарыгердин корутундусу алынды.")  # fmt: skip
    d.done(case, code="rapport_registration", by="district_officer", at=d.ago(6, 1))
    d.register(case, by="sokuluk_head", at=d.ago(5, 22))

    # A citizen of Tajikistan at the Sokuluk bazaar, passed on by the duty unit: recorded, not screened yet.
    case = d.case(by="sokuluk_head", source=S.DUTY_UNIT, received=d.ago(hours=5), assigned_officer="district_officer",
                  incident_place="Сокулук району, Сокулук базары", country_destination=True,
                  summary="Нөөмөт бөлүмү берди: базарда жүк ташыган Тажикстандын жараны «кожоюн» паспортун "
                          "алып, айлыгын бербей жатканын айтты.")  # fmt: skip
    d.person(case, by="district_officer", at=d.ago(hours=4), last_name="Саидов", first_name="Фаррух",
             last_name_latin="Saidov", first_name_latin="Farrukh", sex="male",
             date_of_birth=born(33, 260, before=today), citizenship="TJ",
             foreign_status_documents="Тажикстан Республикасынын паспорту (кожоюнда)",
             identity_established_by="not_yet")  # fmt: skip
