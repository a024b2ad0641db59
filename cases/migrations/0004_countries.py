"""Load the reference list of countries most often met in Kyrgyz trafficking cases."""

from django.db import migrations

COUNTRIES = [
    ("KG", "Кыргызстан", "Кыргызстан", "Kyrgyzstan", 1),
    ("KZ", "Казакстан", "Казахстан", "Kazakhstan", 10),
    ("RU", "Россия", "Россия", "Russia", 10),
    ("UZ", "Өзбекстан", "Узбекистан", "Uzbekistan", 10),
    ("TJ", "Тажикстан", "Таджикистан", "Tajikistan", 10),
    ("TR", "Түркия", "Турция", "Türkiye", 10),
    ("AE", "Бириккен Араб Эмираттары", "Объединённые Арабские Эмираты", "United Arab Emirates", 10),
    ("KR", "Корея Республикасы", "Республика Корея", "Republic of Korea", 10),
    ("CN", "Кытай", "Китай", "China", 10),
    ("TM", "Түркмөнстан", "Туркменистан", "Turkmenistan", 20),
    ("AF", "Афганистан", "Афганистан", "Afghanistan", 20),
    ("BY", "Беларусь", "Беларусь", "Belarus", 20),
    ("UA", "Украина", "Украина", "Ukraine", 20),
    ("DE", "Германия", "Германия", "Germany", 20),
    ("GB", "Улуу Британия", "Великобритания", "United Kingdom", 20),
    ("PL", "Польша", "Польша", "Poland", 20),
    ("IN", "Индия", "Индия", "India", 20),
    ("PK", "Пакистан", "Пакистан", "Pakistan", 20),
    ("SA", "Сауд Арабиясы", "Саудовская Аравия", "Saudi Arabia", 20),
    ("US", "Америка Кошмо Штаттары", "США", "United States", 20),
    ("XX", "Жарандыгы жок же белгисиз", "Без гражданства или неизвестно", "Stateless or unknown", 90),
]


def load(apps, schema_editor):
    Country = apps.get_model("cases", "Country")
    for code, ky, ru, en, order in COUNTRIES:
        Country.objects.update_or_create(code=code, defaults={"name": ky, "name_ru": ru, "name_en": en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_country")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
