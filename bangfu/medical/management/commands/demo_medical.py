"""`manage.py demo_medical`: demo medical bills for some archived demo households, once."""

from __future__ import annotations

from bangfu.common.commands import Command as ChineseCommand
from bangfu.medical.demo import load_medical_demo


class Command(ChineseCommand):
    help = "生成演示用的医疗费用单据(部分已建档家庭,只执行一次)"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args, seed: int, **options):
        count = load_medical_demo(seed=seed)
        if count:
            self.stdout.write(f"医疗费用演示数据:{count}张单据")
