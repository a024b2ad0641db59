"""The demo's units and people: the ministry, two oblasts with two district departments each, one user per role."""

from accounts.roles import Role

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
    ("osh", "mvd", "oblast", "Ош облустук ички иштер башкармалыгы", "УВД Ошской области", "Osh Oblast Police"),
    ("kara-suu", "osh", "district", "Кара-Суу райондук ички иштер бөлүмү", "Карасуйский РОВД",
     "Kara-Suu District Police"),
    ("uzgen", "osh", "district", "Өзгөн райондук ички иштер бөлүмү", "Узгенский РОВД", "Uzgen District Police"),
]  # fmt: skip

USERS = [
    # username, role, unit code, first name, last name, position, rank
    ("inspector", Role.INSPECTOR, "alamudun", "Айгүл", "Токтосунова", "Жаш өспүрүмдөр менен иштөөчү инспектор",
     "милициянын капитаны"),
    ("alamudun_officer", Role.INSPECTOR, "alamudun", "Улан", "Асанбеков", "Милициянын участкалык ыйгарым өкүлү",
     "милициянын улук лейтенанты"),
    ("duty_officer", Role.DUTY_OFFICER, "alamudun", "Нурлан", "Абдыкадыров", "ИИБ нөөмөтчүсү", "милициянын майору"),
    ("investigator", Role.INVESTIGATOR, "alamudun", "Эльвира", "Садыкова", "Тергөөчү", "юстициянын капитаны"),
    ("kib_officer", Role.KIB_OFFICER, "alamudun", "Марат", "Осмонов", "КИБдин оперативдик ыйгарым укуктуу кызматкери",
     "милициянын капитаны"),
    ("supervisor", Role.SUPERVISOR, "alamudun", "Талант", "Мамытов", "Ички иштер бөлүмүнүн начальниги",
     "милициянын подполковниги"),
    ("hotline", Role.HOTLINE_OPERATOR, "alamudun", "Гүлзат", "Бекова", "«Түз байланыш» 1899 операторы", ""),
    ("district_officer", Role.INSPECTOR, "sokuluk", "Бакыт", "Жумабеков", "Милициянын участкалык ыйгарым өкүлү",
     "милициянын улук лейтенанты"),
    ("sokuluk_inspector", Role.INSPECTOR, "sokuluk", "Гүлмира", "Абдыраева",
     "Жаш өспүрүмдөр менен иштөөчү инспектор", "милициянын капитаны"),
    ("sokuluk_head", Role.SUPERVISOR, "sokuluk", "Кубанычбек", "Турдалиев", "Ички иштер бөлүмүнүн начальниги",
     "милициянын подполковниги"),
    ("oblast_head", Role.SUPERVISOR, "chui", "Руслан", "Керимбеков", "Облустук башкармалыктын начальниги",
     "милициянын полковниги"),
    ("karasuu_inspector", Role.INSPECTOR, "kara-suu", "Мээрим", "Таджибаева",
     "Жаш өспүрүмдөр менен иштөөчү инспектор", "милициянын капитаны"),
    ("karasuu_officer", Role.INSPECTOR, "kara-suu", "Нурбек", "Раимов", "Милициянын участкалык ыйгарым өкүлү",
     "милициянын лейтенанты"),
    ("karasuu_duty", Role.DUTY_OFFICER, "kara-suu", "Самат", "Жолдошев", "ИИБ нөөмөтчүсү", "милициянын капитаны"),
    ("karasuu_head", Role.SUPERVISOR, "kara-suu", "Акылбек", "Маматов", "Ички иштер бөлүмүнүн начальниги",
     "милициянын подполковниги"),
    ("uzgen_inspector", Role.INSPECTOR, "uzgen", "Айсулуу", "Курманова", "Жаш өспүрүмдөр менен иштөөчү инспектор",
     "милициянын улук лейтенанты"),
    ("uzgen_head", Role.SUPERVISOR, "uzgen", "Элмурат", "Сатыбалдиев", "Ички иштер бөлүмүнүн начальниги",
     "милициянын подполковниги"),
    ("osh_head", Role.SUPERVISOR, "osh", "Максат", "Эргешов", "Облустук башкармалыктын начальниги",
     "милициянын полковниги"),
    ("intl_cooperation", Role.INTL_COOPERATION, "mvd", "Динара", "Алиева",
     "Эл аралык кызматташтык башкармалыгынын кызматкери", "милициянын майору"),
    ("analyst", Role.ANALYST, "mvd", "Азамат", "Исаков", "Аналитик", ""),
    ("ngo", Role.NGO_STAFF, "mvd", "Жылдыз", "Карыбаева", "Социалдык кызматкер", ""),
    ("ngo_b", Role.NGO_STAFF, "mvd", "Элнура", "Маматова", "Юрист", ""),
]  # fmt: skip

# The two NGOs of the demo (trafficking_cms/demo/directory.py), whose API keys go into var/demo-credentials.json.
DEMO_NGOS = ("demo-ngo-a", "demo-ngo-b")
NGO_OF_USER = {"ngo": "demo-ngo-a", "ngo_b": "demo-ngo-b"}
