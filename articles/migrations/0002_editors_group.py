"""The Editors group: may add, change and view everything in the wiki, delete
sections, debates and arguments, but not whole articles or sources."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["article", "section", "source", "debate", "argument"]
DELETABLE = ["section", "debate", "argument"]


def editor_codenames() -> list[str]:
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
    return codenames + [f"delete_{model}" for model in DELETABLE]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=editor_codenames())
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
