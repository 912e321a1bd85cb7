"""`manage.py demo_programmes`: demo programmes and rounds (送温暖 paid, 金秋助学 awaiting approval), once."""

from __future__ import annotations

from bangfu.common.commands import Command as ChineseCommand
from bangfu.programmes.demo import load_programmes_demo


class Command(ChineseCommand):
    help = "生成演示用的帮扶项目和发放批次(已完成的送温暖批次、待审核的金秋助学批次、预算),只执行一次"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args, seed: int, **options):
        result = load_programmes_demo(seed=seed)
        if result["rounds"]:
            self.stdout.write(f"发放批次演示数据:送温暖成功{result['paid']}户、失败{result['failed']}户;"
                              f"金秋助学批次待审核;{result['payees']}户登记了银行卡")
