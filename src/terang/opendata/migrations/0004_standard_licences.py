"""The open licences every city needs from the first day (CKAN ids), so automatic publications
such as the APBD have a licence to carry. Administrators may add others."""

from django.db import migrations

LICENCES = [
    (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0 (CC-BY-4.0)",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "cc0-1.0",
        "Creative Commons Zero 1.0 (CC0-1.0)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    (
        "odbl-1.0",
        "Open Data Commons Open Database License 1.0 (ODbL-1.0)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    licence = apps.get_model("opendata", "Licence")
    for id_, title, url in LICENCES:
        licence.objects.get_or_create(id=id_, defaults={"title": title, "url": url})


class Migration(migrations.Migration):
    dependencies = [("opendata", "0003_search_indexes")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
