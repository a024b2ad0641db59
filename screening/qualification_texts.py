"""Translated labels and sentences of the qualification engine, in Kyrgyz, Russian and English.

Pure data: no Django, no gettext. The engine must be deterministic and importable without settings, and these are legal
terms that translators must not drift from. The Kyrgyz terms are the handbook's (docs: DOMAIN.md §2, §11); the Russian
ones are the standard terms of the Criminal Code of the KR. Placeholders are named (`{items}`, `{age}`, ...).
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("ky", "ru", "en")

# code -> {language -> label}; acts, means, purposes, verdicts, warnings and the three elements share one namespace.
LABELS: dict[str, dict[str, str]] = {
    # Acts (кылмыштуу иш-аракеттер)
    "recruitment": {"en": "recruitment", "ru": "вербовка", "ky": "азгыруу"},
    "transportation": {"en": "transportation", "ru": "перевозка", "ky": "ташуу"},
    "harbouring": {"en": "harbouring", "ru": "укрывательство", "ky": "жашыруу"},
    "receipt": {"en": "receipt", "ru": "получение", "ky": "кабыл алуу"},
    "transfer": {"en": "transfer", "ru": "передача", "ky": "өткөрүп берүү"},
    # Means (таасир этүү каражаттары)
    "threat": {"en": "threat", "ru": "угроза", "ky": "коркутуу"},
    "force": {"en": "use of force", "ru": "применение силы", "ky": "күч колдонуу"},
    "coercion": {"en": "other forms of coercion", "ru": "иные формы принуждения", "ky": "мажбурлоонун башка түрлөрү"},
    "blackmail": {"en": "blackmail", "ru": "шантаж", "ky": "шантаж"},
    "abduction": {"en": "abduction", "ru": "похищение", "ky": "уурдоо"},
    "fraud": {"en": "fraud", "ru": "мошенничество", "ky": "алдамчылык"},
    "deception": {"en": "deception", "ru": "обман", "ky": "алдоо"},
    "abuse_of_power": {
        "en": "abuse of power",
        "ru": "злоупотребление властью",
        "ky": "бийликти кыянаттык менен пайдалануу",
    },
    "abuse_of_vulnerability": {
        "en": "abuse of a position of vulnerability",
        "ru": "злоупотребление уязвимым положением",
        "ky": "аялуу абалынан кыянаттык менен пайдалануу",
    },
    "payment_to_controller": {
        "en": "giving or receiving payments or benefits to get the consent of a person having control over the victim",
        "ru": "дача или получение платежей или выгод для получения согласия лица, контролирующего потерпевшего",
        "ky": "жабырлануучуну көзөмөлдөгөн адамдын макулдугун алуу үчүн төлөм же пайда берүү же алуу",
    },
    # Purposes of exploitation (эксплуатациялоо максаты)
    "sexual_exploitation": {
        "en": "sexual exploitation",
        "ru": "сексуальная эксплуатация",
        "ky": "сексуалдык эксплуатация",
    },
    "forced_labour": {
        "en": "forced labour or services",
        "ru": "принудительный труд или услуги",
        "ky": "мажбурлап иштетүү же кызмат көрсөтүү",
    },
    "slavery": {
        "en": "slavery or practices similar to slavery",
        "ru": "рабство или обычаи, сходные с рабством",
        "ky": "кулчулук же кулчулукка окшош каада-салттар",
    },
    "servitude": {"en": "servitude", "ru": "подневольное состояние", "ky": "эрксиз абал"},
    "organ_removal": {
        "en": "removal of organs, tissues or cells",
        "ru": "изъятие органов, тканей или клеток",
        "ky": "органын, тканын же клеткасын алуу",
    },
    "forced_begging": {
        "en": "forced begging",
        "ru": "принудительное попрошайничество",
        "ky": "мажбурланган тилемчилик",
    },
    "forced_marriage": {"en": "forced marriage", "ru": "принудительный брак", "ky": "мажбурлап никеге туруу"},
    "illegal_adoption": {"en": "illegal adoption", "ru": "незаконное усыновление", "ky": "мыйзамсыз асырап алуу"},
    "child_pornography": {
        "en": "use of a child in pornography",
        "ru": "использование ребёнка в порнографии",
        "ky": "баланы порнографияда пайдалануу",
    },
    "other": {"en": "other form of exploitation", "ru": "иная форма эксплуатации", "ky": "эксплуатациянын башка түрү"},
    # Elements (what `missing` may hold)
    "act": {"en": "act", "ru": "действие", "ky": "кылмыштуу иш-аракет"},
    "means": {"en": "means", "ru": "средство воздействия", "ky": "таасир этүү каражаты"},
    "purpose": {"en": "purpose of exploitation", "ru": "цель эксплуатации", "ky": "эксплуатациялоо максаты"},
    # Verdicts
    "art_166": {
        "en": "Art. 166 of the Criminal Code of the KR (trafficking in persons)",
        "ru": "ст. 166 УК КР (торговля людьми)",
        "ky": "КР Жазык кодексинин 166-беренеси (адамдарды сатуу)",
    },
    "art_167": {
        "en": "Art. 167 of the Criminal Code of the KR (trafficking in children)",
        "ru": "ст. 167 УК КР (торговля детьми)",
        "ky": "КР Жазык кодексинин 167-беренеси (балдарды сатуу)",
    },
    "art_159_160": {
        "en": "Art. 159 / Art. 160 of the Criminal Code of the KR "
        "(involvement in prostitution / facilitating prostitution and debauchery)",
        "ru": "ст. 159 / ст. 160 УК КР (вовлечение в занятие проституцией / содействие занятию проституцией и "
        "развратом)",
        "ky": "КР Жазык кодексинин 159 / 160-беренелери (сойкулукка аралаштыруу / сойкулук менен бузукулукка "
        "көмөктөшүү)",
    },
    "elements_not_established": {
        "en": "elements of trafficking not established",
        "ru": "элементы состава торговли людьми не установлены",
        "ky": "адамдарды сатуунун курамынын элементтери аныкталган жок",
    },
    "not_trafficking": {
        "en": "not trafficking in persons",
        "ru": "не является торговлей людьми",
        "ky": "адамдарды сатуу болуп саналбайт",
    },
    # Warnings (short labels for badges; the explanation uses WARNING_SENTENCES)
    "suspect_not_subject": {
        "en": "suspect is not a subject of the offence",
        "ru": "подозреваемый не является субъектом преступления",
        "ky": "шектүү кылмыштын субъектиси болуп саналбайт",
    },
    "no_separate_165_139": {
        "en": "no separate charge under Art. 165 / Art. 139",
        "ru": "без дополнительной квалификации по ст. 165 / ст. 139",
        "ky": "165 / 139-беренелер боюнча өзүнчө квалификацияланбайт",
    },
    "cumulative_exploitation": {
        "en": "exploitation carried out: cumulative offences",
        "ru": "эксплуатация осуществлена: совокупность преступлений",
        "ky": "эксплуатация ишке ашырылган: кылмыштуу иш-аракеттердин жыйындысы",
    },
    "vulnerability_abuse_unproven": {
        "en": "abuse of vulnerability not proven",
        "ru": "злоупотребление уязвимым положением не доказано",
        "ky": "аялуу абалынан кыянаттык менен пайдалануу далилденген эмес",
    },
    "age_unknown_treated_as_child": {
        "en": "age unknown: treated as a child",
        "ru": "возраст неизвестен: считается ребёнком",
        "ky": "жашы белгисиз: бала катары каралат",
    },
    "possible_migrant_smuggling": {
        "en": "possible illegal border crossing or migrant smuggling",
        "ru": "возможно незаконное пересечение границы или незаконный ввоз мигрантов",
        "ky": "чек арадан мыйзамсыз өтүү же мигранттарды мыйзамсыз алып кирүү болушу мүмкүн",
    },
    "cumulative_illegal_border_crossing": {
        "en": "illegal border crossing: cumulative offences",
        "ru": "незаконное пересечение границы: совокупность преступлений",
        "ky": "чек арадан мыйзамсыз өтүү: кылмыштуу иш-аракеттердин жыйындысы",
    },
}

# One sentence per warning code, written into the explanation after the language's WARNING prefix.
WARNING_SENTENCES: dict[str, dict[str, str]] = {
    "suspect_not_subject": {
        "en": "The suspect is under 14 or not sane, so is not a subject of the offence: the subject is a sane person "
        "aged 14 or over.",
        "ru": "Подозреваемый не достиг 14 лет или невменяем и поэтому не является субъектом преступления: субъект — "
        "вменяемое лицо, достигшее 14 лет.",
        "ky": "Шектүү 14 жашка толо элек же акыл-эси соо эмес, ошондуктан кылмыштын субъектиси болуп саналбайт: "
        "субъект — 14 жашка толгон акыл-эси соо адам.",
    },
    "no_separate_165_139": {
        "en": "Abduction or threat was a means of the trafficking: it is not charged separately under Art. 165 "
        "(kidnapping) or Art. 139 (threat of violence dangerous to life and health).",
        "ru": "Похищение или угроза были средством воздействия при торговле людьми: дополнительная квалификация по "
        "ст. 165 (похищение человека) или ст. 139 (угроза насилием, опасным для жизни и здоровья) не требуется.",
        "ky": "Уурдоо же коркутуу адамдарды сатууда таасир этүү каражаты болгон: 165-берене (адам уурдоо) же "
        "139-берене (өмүргө жана ден соолукка коркунучтуу болгон зомбулук көрсөтөм деп опузалоо) боюнча кошумча "
        "квалификациялоо талап кылынбайт.",
    },
    "cumulative_exploitation": {
        "en": "Exploitation was actually carried out: qualify that offence too, cumulatively with the trafficking "
        "(e.g. prostitution, forced labour, removal of organs, use of a child in pornography).",
        "ru": "Эксплуатация фактически осуществлена: соответствующее преступление также подлежит квалификации по "
        "совокупности с торговлей людьми (например, проституция, принудительный труд, изъятие органов, "
        "использование ребёнка в порнографии).",
        "ky": "Эксплуатация иш жүзүндө ишке ашырылган: эксплуатациянын өзү да адамдарды сатууга кошумча катары "
        "өзүнчө кылмыш болуп, кылмыштуу иш-аракеттердин жыйындысы боюнча квалификацияланууга тийиш (мисалы, "
        "сойкулук, мажбурлап иштетүү, органын алуу, баланы порнографияда пайдалануу).",
    },
    "vulnerability_abuse_unproven": {
        "en": "Abuse of a position of vulnerability is alleged but not proven: evidence is needed of (a) the "
        "vulnerability — the victim had no other real and acceptable option, and that belief was reasonable in their "
        "situation — and (b) its deliberate abuse by the trafficker for exploitation, not merely the victim's own "
        "fear; until both are evidenced it does not count as a means.",
        "ru": "Заявлено злоупотребление уязвимым положением, но оно не доказано: нужны доказательства (а) уязвимости — "
        "у потерпевшего не было иного реального и приемлемого выбора, и он обоснованно так считал с учётом своего "
        "положения — и (б) умышленного использования этой уязвимости торговцем людьми в целях эксплуатации, а не "
        "только собственного страха потерпевшего; пока не доказано и то и другое, оно не учитывается как средство "
        "воздействия.",
        "ky": "Аялуу абалынан кыянаттык менен пайдалануу көрсөтүлгөн, бирок далилденген эмес: (а) аялуулуктун "
        "болушун — жабырлануучунун башка реалдуу жана ылайыктуу тандоосу болгон эмес жана анын буга ынануусу өз "
        "жагдайында акылга сыярлык болгон — жана (б) адамдарды сатуучу бул аялуулуктан эксплуатациялоо максатында "
        "атайылап кыянаттык менен пайдаланганын (жабырлануучунун өзүнүн коркуу сезимин гана эмес) ырастаган "
        "далилдер керек; экөө тең далилденмейинче ал таасир этүү каражаты катары эсепке алынбайт.",
    },
    "age_unknown_treated_as_child": {
        "en": "The victim's age is not established and the victim appears to be under 18: treated as a child until "
        "the age is established by an ID document or other means (project policy).",
        "ru": "Возраст потерпевшего не установлен, а по внешнему виду ему нет 18 лет: до установления возраста по "
        "документу, удостоверяющему личность, или иным способом он считается ребёнком (правило системы).",
        "ky": "Жабырлануучунун жашы аныкталган эмес жана ал 18 жашка толо электей көрүнөт: жашы өздүгүн ырастоочу "
        "документ же башка жол менен аныкталганга чейин ал бала катары каралат (системанын эрежеси).",
    },
    "possible_migrant_smuggling": {
        "en": "A state border was crossed without a purpose of exploitation: this is not trafficking; check for an "
        "illegal border crossing or migrant smuggling.",
        "ru": "Государственная граница пересечена без цели эксплуатации: это не торговля людьми; проверьте наличие "
        "незаконного пересечения границы или незаконного ввоза мигрантов.",
        "ky": "Мамлекеттик чек арадан эксплуатациялоо максаты болбостон өтүлгөн: бул адамдарды сатуу эмес; чек "
        "арадан мыйзамсыз өтүүнүн же мигранттарды мыйзамсыз алып кирүүнүн белгилерин текшериңиз.",
    },
    "cumulative_illegal_border_crossing": {
        "en": "The border was crossed illegally with a purpose of exploitation: qualify the illegal border crossing "
        "too, cumulatively with the trafficking.",
        "ru": "Граница пересечена незаконно с целью эксплуатации: незаконное пересечение границы также подлежит "
        "квалификации по совокупности с торговлей людьми.",
        "ky": "Чек арадан эксплуатациялоо максатында мыйзамсыз өтүлгөн: чек арадан мыйзамсыз өтүү да адамдарды сатуу "
        "менен кылмыштуу иш-аракеттердин жыйындысы боюнча квалификацияланууга тийиш.",
    },
}

# Sentences of the explanation, by message id.
TEXTS: dict[str, dict[str, str]] = {
    "qualification": {
        "en": "Qualification: {verdict}.",
        "ru": "Квалификация: {verdict}.",
        "ky": "Квалификация: {verdict}.",
    },
    "qualification_aggravated": {
        "en": "Qualification: {verdict}, Art. 166 part 2 item 5 (transportation across the state border of the "
        "Kyrgyz Republic).",
        "ru": "Квалификация: {verdict}, п. 5 ч. 2 ст. 166 (перевозка через государственную границу Кыргызской "
        "Республики).",
        "ky": "Квалификация: {verdict}, 166-берененин 2-бөлүгүнүн 5-пункту (Кыргыз Республикасынын аймагы аркылуу "
        "алып өтүү).",
    },
    "warning": {"en": "Warning", "ru": "Предупреждение", "ky": "Эскертүү"},
    "act_date": {
        "en": "Date of the act: {date}.",
        "ru": "Дата деяния: {date}.",
        "ky": "Иш-аракет жасалган күн: {date}.",
    },
    "act_date_default": {
        "en": "Date of the act: {date} (not given: today's date is used).",
        "ru": "Дата деяния: {date} (не указана: принята сегодняшняя дата).",
        "ky": "Иш-аракет жасалган күн: {date} (көрсөтүлгөн эмес: бүгүнкү дата алынды).",
    },
    "victim_from_dob": {
        "en": "Victim: aged {age} at the date of the act (date of birth {dob}); an age counts as reached from the "
        "day after the birthday (project policy).",
        "ru": "Потерпевший: возраст на дату деяния — {age} (дата рождения {dob}); возраст считается достигнутым со "
        "дня, следующего за днём рождения (правило системы).",
        "ky": "Жабырлануучу: иш-аракет жасалган күнү {age} жашта болгон (туулган датасы {dob}); жаш туулган "
        "күндүн эртесинен тартып толгон деп эсептелет (системанын эрежеси).",
    },
    "on_birthday": {
        "en": "The act fell on the victim's birthday: under this rule the victim was still {age}.",
        "ru": "Деяние совершено в день рождения потерпевшего: по этому правилу в этот день ему всё ещё {age}.",
        "ky": "Иш-аракет жабырлануучунун туулган күнүндө жасалган: бул эреже боюнча ал ошол күнү дагы эле {age} "
        "жашта болгон.",
    },
    "feb29": {
        "en": "Born on 29 February: in a non-leap year the birthday is taken as 28 February, so a new age is reached "
        "on 1 March (project policy).",
        "ru": "Дата рождения — 29 февраля: в невисокосный год днём рождения считается 28 февраля, поэтому новый "
        "возраст наступает 1 марта (правило системы).",
        "ky": "29-февралда туулган: кибис эмес жылдарда туулган күн 28-февраль деп эсептелет, ошондуктан жаңы жаш "
        "1-мартта толот (системанын эрежеси).",
    },
    "dob_over_stated_age": {
        "en": "The date of birth takes precedence over the stated age ({age}).",
        "ru": "Дата рождения имеет приоритет перед указанным возрастом ({age}).",
        "ky": "Туулган датасы көрсөтүлгөн жашка ({age}) караганда артыкчылыктуу.",
    },
    "victim_stated_age": {
        "en": "Victim: aged {age} at the date of the act (stated age; date of birth not given).",
        "ru": "Потерпевший: возраст на дату деяния — {age} (по указанному возрасту; дата рождения не указана).",
        "ky": "Жабырлануучу: иш-аракет жасалган күнү {age} жашта болгон (билдирилген жашы боюнча; туулган датасы "
        "көрсөтүлгөн эмес).",
    },
    "victim_appears_minor": {
        "en": "Victim: age unknown; appears to be under 18.",
        "ru": "Потерпевший: возраст неизвестен; по внешнему виду ему нет 18 лет.",
        "ky": "Жабырлануучу: жашы белгисиз; 18 жашка толо электей көрүнөт.",
    },
    "appearance_overridden": {
        "en": "The victim appears to be under 18, but the known age prevails over appearance.",
        "ru": "Потерпевший выглядит несовершеннолетним, но известный возраст имеет приоритет перед внешним видом.",
        "ky": "Жабырлануучу жашы жете электей көрүнөт, бирок анын белгилүү жашы сырткы көрүнүшүнө караганда "
        "артыкчылыктуу.",
    },
    "victim_unknown": {
        "en": "Victim: age unknown, with no indication of being under 18; establish the age by an ID document or "
        "other means.",
        "ru": "Потерпевший: возраст неизвестен, признаков несовершеннолетия нет; установите возраст по документу, "
        "удостоверяющему личность, или иным способом.",
        "ky": "Жабырлануучу: жашы белгисиз, жашы жете элек экенинин белгилери жок; жашын өздүгүн ырастоочу документ "
        "же башка жол менен аныктаңыз.",
    },
    "victim_child": {
        "en": "The victim is treated as a child (under 18).",
        "ru": "Потерпевший рассматривается как ребёнок (до 18 лет).",
        "ky": "Жабырлануучу бала катары каралат (18 жашка чейин).",
    },
    "victim_adult": {
        "en": "The victim is treated as an adult (18 or over).",
        "ru": "Потерпевший рассматривается как взрослый (18 лет и старше).",
        "ky": "Жабырлануучу бойго жеткен адам катары каралат (18 жашта жана андан улуу).",
    },
    "act_found": {"en": "Act: {items}.", "ru": "Действие: {items}.", "ky": "Кылмыштуу иш-аракет: {items}."},
    "act_missing": {
        "en": "Act: not established.",
        "ru": "Действие: не установлено.",
        "ky": "Кылмыштуу иш-аракет: аныкталган жок.",
    },
    "means_found": {
        "en": "Means: {items}.",
        "ru": "Средства воздействия: {items}.",
        "ky": "Таасир этүү каражаттары: {items}.",
    },
    "means_missing": {
        "en": "Means: not established.",
        "ru": "Средства воздействия: не установлены.",
        "ky": "Таасир этүү каражаттары: аныкталган жок.",
    },
    "means_child": {
        "en": "Means: not required for a child victim.",
        "ru": "Средства воздействия: для потерпевшего ребёнка не требуются.",
        "ky": "Таасир этүү каражаттары: бала жабырлануучу үчүн талап кылынбайт.",
    },
    "means_child_stated": {
        "en": "Means: not required for a child victim (stated: {items}).",
        "ru": "Средства воздействия: для потерпевшего ребёнка не требуются (указаны: {items}).",
        "ky": "Таасир этүү каражаттары: бала жабырлануучу үчүн талап кылынбайт (көрсөтүлгөн: {items}).",
    },
    "means_uncounted": {
        "en": "Not counted as a means: {item}: the vulnerability and its deliberate abuse must both be evidenced, and "
        "one or both are not.",
        "ru": "Не учитывается как средство воздействия: {item}: должны быть доказаны и уязвимость, и умышленное "
        "злоупотребление ею, а одно из них или оба не доказаны.",
        "ky": "Таасир этүү каражаты катары эсепке алынбайт: {item}: аялуулуктун болушу да, андан атайылап "
        "кыянаттык менен пайдалануу да далилденүүгө тийиш, бирок бири же экөө тең далилденген эмес.",
    },
    "purpose_found": {
        "en": "Purpose of exploitation: {items}.",
        "ru": "Цель эксплуатации: {items}.",
        "ky": "Эксплуатациялоо максаты: {items}.",
    },
    "purpose_missing": {
        "en": "Purpose of exploitation: not established.",
        "ru": "Цель эксплуатации: не установлена.",
        "ky": "Эксплуатациялоо максаты: аныкталган жок.",
    },
    "exploitation_done": {
        "en": "Exploitation actually carried out: {items} (this also shows the purpose).",
        "ru": "Фактически осуществлённая эксплуатация: {items} (это подтверждает и цель).",
        "ky": "Иш жүзүндө ишке ашырылган эксплуатация: {items} (бул максатты да ырастайт).",
    },
    "border_kr": {
        "en": "Border: the victim was carried across the state border of the Kyrgyz Republic.",
        "ru": "Граница: потерпевший перемещён через государственную границу Кыргызской Республики.",
        "ky": "Чек ара: жабырлануучу Кыргыз Республикасынын мамлекеттик чек арасы аркылуу алып өтүлгөн.",
    },
    "border_crossed": {
        "en": "Border: the victim crossed a state border.",
        "ru": "Граница: потерпевший пересёк государственную границу.",
        "ky": "Чек ара: жабырлануучу мамлекеттик чек арадан өткөн.",
    },
    "border_illegal": {
        "en": "The border was crossed illegally.",
        "ru": "Граница пересечена незаконно.",
        "ky": "Чек арадан мыйзамсыз өтүлгөн.",
    },
    "consent_irrelevant": {
        "en": "Consent: the victim's consent is irrelevant because a means was used.",
        "ru": "Согласие: согласие потерпевшего не имеет значения, так как применено средство воздействия.",
        "ky": "Макулдук: таасир этүү каражаты колдонулгандыктан, жабырлануучунун макулдугу мааниге ээ эмес.",
    },
    "consent_dependency": {
        "en": "Consent: the recruiter foresaw that the person would end up fully dependent, in a slave-like state, so "
        "Art. 159 / Art. 160 does not apply.",
        "ru": "Согласие: вербовщик предвидел, что лицо окажется в полной зависимости, в положении, сходном с рабским, "
        "поэтому ст. 159 / ст. 160 не применяются.",
        "ky": "Макулдук: азгыруучу адамдын толук көз каранды болуп, кул сыяктуу абалга кептеле турганын алдын ала "
        "билген, ошондуктан 159 / 160-беренелер колдонулбайт.",
    },
    "consent_other_exploitation": {
        "en": "Consent: Art. 159 / Art. 160 does not apply, because exploitation other than prostitution was recorded "
        "({items}): the facts are judged as trafficking in persons.",
        "ru": "Согласие: ст. 159 / ст. 160 не применяются, так как установлена эксплуатация помимо проституции "
        "({items}): деяние оценивается как торговля людьми.",
        "ky": "Макулдук: 159 / 160-беренелер колдонулбайт, анткени сойкулуктан башка эксплуатация көрсөтүлгөн "
        "({items}): иш-аракеттер адамдарды сатуу катары бааланат.",
    },
    "rule_167": {
        "en": "Rule: the victim was under 18 at the date of the act, so an act and a purpose of exploitation suffice "
        "→ Art. 167; means and consent are not required (a child cannot consent).",
        "ru": "Правило: на дату деяния потерпевшему не исполнилось 18 лет, поэтому достаточно действия и цели "
        "эксплуатации → ст. 167; средства воздействия и согласие не требуются (ребёнок не может дать согласие).",
        "ky": "Эреже: иш-аракет жасалган күнү жабырлануучу 18 жашка толо элек болгон, ошондуктан кылмыштуу иш-аракет "
        "жана эксплуатациялоо максаты жетиштүү → 167-берене; таасир этүү каражаттары жана макулдук талап "
        "кылынбайт (бала макулдук бере албайт).",
    },
    "rule_166": {
        "en": "Rule: the victim was 18 or over, and an act, a means and a purpose of exploitation are established "
        "→ Art. 166.",
        "ru": "Правило: потерпевшему 18 лет или больше, и установлены действие, средство воздействия и цель "
        "эксплуатации → ст. 166.",
        "ky": "Эреже: жабырлануучу 18 жашта же андан улуу жана кылмыштуу иш-аракет, таасир этүү каражаты жана "
        "эксплуатациялоо максаты аныкталган → 166-берене.",
    },
    "rule_166_2_5": {
        "en": "Rule: the acts include transportation and the victim was carried across the state border of the KR "
        "→ Art. 166 part 2 item 5.",
        "ru": "Правило: среди действий есть перевозка, и потерпевший перемещён через государственную границу КР "
        "→ п. 5 ч. 2 ст. 166.",
        "ky": "Эреже: кылмыштуу иш-аракеттердин ичинде ташуу бар жана жабырлануучу Кыргыз Республикасынын аймагы "
        "аркылуу алып өтүлгөн → 166-берененин 2-бөлүгүнүн 5-пункту.",
    },
    "rule_166_2_5_needs_transportation": {
        "en": "Art. 166 part 2 item 5 is not added: it needs the act of transportation.",
        "ru": "П. 5 ч. 2 ст. 166 не применяется: для него нужно действие «перевозка».",
        "ky": "166-берененин 2-бөлүгүнүн 5-пункту колдонулбайт: ал үчүн ташуу иш-аракети керек.",
    },
    "rule_166_2_5_not_167": {
        "en": "Art. 166 part 2 item 5 belongs to Art. 166 and is not added to Art. 167.",
        "ru": "П. 5 ч. 2 ст. 166 относится к ст. 166 и к ст. 167 не добавляется.",
        "ky": "166-берененин 2-бөлүгүнүн 5-пункту 166-беренеге гана тиешелүү, 167-беренеге кошулбайт.",
    },
    "rule_159_160": {
        "en": "Rule: an adult was recruited only for prostitution, with real voluntary consent, keeping full personal "
        "freedom, with no means used, no other exploitation recorded and no slave-like dependency foreseen → "
        "Art. 159 / Art. 160, the special norm, instead of Art. 166 (competition of norms, Art. 22).",
        "ru": "Правило: взрослое лицо завербовано только для занятия проституцией, с его действительного "
        "добровольного согласия, при сохранении полной личной свободы, без применения средств воздействия, иная "
        "эксплуатация не установлена, и вербовщик не предвидел, что оно окажется в положении, сходном с рабским, "
        "→ ст. 159 / ст. 160 как специальная норма вместо ст. 166 (конкуренция норм, ст. 22).",
        "ky": "Эреже: бойго жеткен адам чыныгы ыктыярдуу макулдугу менен, жеке эркиндигин толук сактап, сойкулук "
        "менен алектенүүгө гана азгырылган, эч кандай таасир этүү каражаты колдонулган эмес, эксплуатациянын башка "
        "түрү көрсөтүлгөн эмес жана азгыруучу анын кул сыяктуу абалга кептеле турганын алдын ала билген эмес → "
        "166-берененин ордуна атайын ченем катары 159 / 160-беренелер (ченемдердин атаандаштыгы, 22-берене).",
    },
    "rule_missing_adult": {
        "en": "Rule: for a victim aged 18 or over, Art. 166 needs an act, a means and a purpose of exploitation; not "
        "established: {missing}.",
        "ru": "Правило: для потерпевшего 18 лет и старше ст. 166 требует действия, средства воздействия и цели "
        "эксплуатации; не установлено: {missing}.",
        "ky": "Эреже: 18 жашка толгон жабырлануучу үчүн 166-берене кылмыштуу иш-аракетти, таасир этүү каражатын "
        "жана эксплуатациялоо максатын талап кылат; аныкталган жок: {missing}.",
    },
    "rule_missing_child": {
        "en": "Rule: for a victim under 18, Art. 167 needs an act and a purpose of exploitation (no means); not "
        "established: {missing}.",
        "ru": "Правило: для потерпевшего младше 18 лет ст. 167 требует действия и цели эксплуатации (средства "
        "воздействия не нужны); не установлено: {missing}.",
        "ky": "Эреже: 18 жашка толо элек жабырлануучу үчүн 167-берене кылмыштуу иш-аракетти жана эксплуатациялоо "
        "максатын талап кылат (таасир этүү каражаты керек эмес); аныкталган жок: {missing}.",
    },
    "rule_not_trafficking": {
        "en": "Rule: a state border was crossed but no purpose of exploitation is established → not trafficking in "
        "persons.",
        "ru": "Правило: государственная граница пересечена, но цель эксплуатации не установлена → не торговля людьми.",
        "ky": "Эреже: мамлекеттик чек арадан өтүлгөн, бирок эксплуатациялоо максаты аныкталган жок → адамдарды сатуу "
        "эмес.",
    },
    "law_55": {
        "en": 'The means "{item}" comes from the Law of the KR No. 55 of 17 March 2005 "On prevention and combating '
        'of trafficking in persons".',
        "ru": "Средство воздействия «{item}» предусмотрено Законом КР от 17 марта 2005 года № 55 «О предупреждении "
        "и борьбе с торговлей людьми».",
        "ky": "«{item}» таасир этүү каражаты 2005-жылдын 17-мартындагы №55 «Адамдарды сатуунун алдын алуу жана ага "
        "каршы күрөшүү жөнүндө» Кыргыз Республикасынын Мыйзамында каралган.",
    },
}

# How each language writes a date in running text.
DATE_FORMATS: dict[str, str] = {"en": "%Y-%m-%d", "ru": "%d.%m.%Y", "ky": "%d.%m.%Y"}
