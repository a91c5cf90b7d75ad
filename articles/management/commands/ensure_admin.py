import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = Path(settings.BASE_DIR) / ".admin-password"


class Command(BaseCommand):
    help = "Create a local superuser 'admin' once and print its login (for `make run`)."

    def handle(self, *args, **options):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", "admin@localhost", password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        if PASSWORD_FILE.exists():
            login = f"admin / {PASSWORD_FILE.read_text().strip()}"
        else:
            login = "admin (password set elsewhere; `manage.py changepassword admin` resets it)"
        self.stdout.write(self.style.SUCCESS(f"Admin login: {login}  ->  /admin/"))
