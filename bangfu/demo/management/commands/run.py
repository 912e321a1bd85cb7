"""`manage.py run`: migrate, load the demo once, print the accounts, collect static files, serve with gunicorn
and the Huey worker."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

from bangfu.common.commands import Command as ChineseCommand
from bangfu.demo.loader import ACCOUNTS
from bangfu.policy.cli import integer
from bangfu.registry.models import Household

from .demo import print_accounts


class Command(ChineseCommand):
    help = "迁移数据库、首次运行时生成演示数据,然后用 gunicorn 在 http://127.0.0.1:8000 提供服务"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", metavar="地址:端口", help="监听的地址和端口")
        parser.add_argument("--workers", type=integer, default=min(4, (os.cpu_count() or 1) + 1), metavar="数量",
                            help="gunicorn 工作进程数")
        parser.add_argument("--households", type=integer, metavar="户数", default=300, help="首次运行时生成的演示家庭数")

    def handle(self, *args, bind: str, workers: int, households: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not Household.objects.exists():
            call_command("demo", households=households, stdout=self.stdout)
            call_command("demo_exchange", stdout=self.stdout)
            call_command("demo_medical", stdout=self.stdout)
            call_command("demo_programmes", stdout=self.stdout)
        else:
            print_accounts(self.stdout, ACCOUNTS)
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            self.stderr.write("找不到 gunicorn")
            sys.exit(1)
        self.stdout.write(f"服务地址:http://{bind}/  (API 文档:http://{bind}/api/docs)")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        # The background-job worker (imports, department files) runs beside the web server and stops with it.
        worker = subprocess.Popen([sys.executable, str(settings.BASE_DIR / "manage.py"), "run_huey", "--quiet"])
        server = subprocess.Popen([gunicorn, "bangfu.config.wsgi:application", "--bind", bind,
                                   "--workers", str(workers), "--access-logfile", "-",
                                   "--chdir", str(settings.BASE_DIR)])
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            status = server.wait()
        except KeyboardInterrupt:
            server.terminate()
            status = server.wait()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        sys.exit(status)
