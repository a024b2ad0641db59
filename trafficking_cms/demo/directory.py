"""The demo's recipients directory: the organisations of the two oblasts that take referrals, with their contacts,
the services they offer and their data-sharing agreements (the numbers are made up)."""

from referrals.models import Category, Recipient, Service

K = Recipient.Kind
C = Category
S = Service
ALL = [C.IDENTITY, C.CONTACTS, C.WHEREABOUTS, C.HEALTH, C.CASE_FACTS]

ORGANISATIONS = [
    # code, kind, region (unit code), name (ky), name (ru), name (en), services, categories of the agreement,
    # agreement, phone, e-mail, address, hours, active
    ("demo-ngo-a", K.CRISIS_CENTRE, "chui", "«Ишеним» кризистик борбору", "Кризисный центр «Ишеним»",
     "Ishenim Crisis Centre", [S.SHELTER, S.PSYCHOLOGICAL, S.LEGAL, S.SOCIAL, S.CHILD_CARE], ALL,
     "№ 14/2025, 12.03.2025", "+996 312 54 32 10", "help@ishenim.example.kg", "Бишкек ш., Манас пр., 40",
     "24/7", True),
    ("demo-ngo-b", K.NGO, "osh", "«Сезим» коомдук бирикмеси", "Общественное объединение «Сезим»",
     "Sezim Public Association", [S.PSYCHOLOGICAL, S.LEGAL, S.REINTEGRATION], [C.IDENTITY, C.CONTACTS, C.CASE_FACTS],
     "№ 3/2026, 20.01.2026", "+996 3222 5 44 00", "office@sezim.example.kg", "Ош ш., Курманжан Датка көч., 218",
     "Дүй–Жм 9:00–18:00", True),
    ("chui-social", K.SOCIAL_PROTECTION, "chui", "Чүй облустук социалдык өнүктүрүү башкармалыгы",
     "Управление социального развития Чуйской области", "Chui Oblast Social Development Department",
     [S.SOCIAL, S.CHILD_CARE, S.REINTEGRATION], ALL, "№ 7/2024, 05.06.2024", "+996 3133 5 20 11",
     "", "Токмок ш., Ленин көч., 63", "Дүй–Жм 8:30–17:30", True),
    ("osh-social", K.SOCIAL_PROTECTION, "osh", "Ош облустук социалдык өнүктүрүү башкармалыгы",
     "Управление социального развития Ошской области", "Osh Oblast Social Development Department",
     [S.SOCIAL, S.CHILD_CARE], ALL, "№ 9/2024, 17.06.2024", "+996 3222 2 11 45", "",
     "Ош ш., Ленин көч., 221", "Дүй–Жм 8:30–17:30", True),
    ("chui-child-protection", K.CHILD_PROTECTION, "chui", "Аламүдүн районунун үй-бүлөнү жана балдарды колдоо бөлүмү",
     "Отдел поддержки семьи и детей Аламудунского района", "Alamudun Family and Child Support Department",
     [S.CHILD_CARE, S.SHELTER, S.SOCIAL], ALL, "№ 11/2024, 01.07.2024", "+996 3125 6 12 30", "",
     "Лебединовка айылы, Ленин көч., 37", "Дүй–Жм 8:30–17:30", True),
    ("osh-child-protection", K.CHILD_PROTECTION, "osh", "Кара-Суу районунун үй-бүлөнү жана балдарды колдоо бөлүмү",
     "Отдел поддержки семьи и детей Карасуйского района", "Kara-Suu Family and Child Support Department",
     [S.CHILD_CARE, S.SOCIAL], ALL, "№ 12/2024, 01.07.2024", "+996 3232 5 19 08", "",
     "Кара-Суу ш., Толстой көч., 4", "Дүй–Жм 8:30–17:30", True),
    ("chui-health", K.HEALTH, "chui", "Аламүдүн үй-бүлөлүк медицина борбору", "Аламудунский центр семейной медицины",
     "Alamudun Family Medicine Centre", [S.MEDICAL], [C.IDENTITY, C.HEALTH], "№ 2/2025, 10.02.2025",
     "+996 3125 6 03 03", "", "Лебединовка айылы, Шоссейная көч., 10", "24/7", True),
    ("osh-health", K.HEALTH, "osh", "Ош шаардык перинаталдык борбору", "Ошский городской перинатальный центр",
     "Osh City Perinatal Centre", [S.MEDICAL], [C.IDENTITY, C.HEALTH], "№ 4/2025, 14.02.2025",
     "+996 3222 7 03 03", "", "Ош ш., Алымбек Датка көч., 5", "24/7", True),
    ("psychologists", K.PSYCHOLOGIST, None, "«Ак-Жол» психологиялык жардам борбору",
     "Центр психологической помощи «Ак-Жол»", "Ak-Zhol Psychological Support Centre", [S.PSYCHOLOGICAL],
     [C.IDENTITY, C.CONTACTS, C.CASE_FACTS], "№ 1/2026, 09.01.2026", "+996 312 90 09 90",
     "info@akjol.example.kg", "Бишкек ш., Токтогул көч., 125", "Дүй–Ишм 9:00–19:00", True),
    ("old-shelter", K.CRISIS_CENTRE, "chui", "«Үмүт» баш калкалоочу жайы (жабылган)", "Приют «Умут» (закрыт)",
     "Umut Shelter (closed)", [S.SHELTER], [C.IDENTITY], "№ 5/2019, 03.03.2019", "", "", "", "", False),
]  # fmt: skip
