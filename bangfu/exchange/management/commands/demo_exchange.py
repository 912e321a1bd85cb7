"""`manage.py demo_exchange`: demo department files (民政, 人社) for the demo households, once."""

from __future__ import annotations

from bangfu.common.commands import Command as ChineseCommand
from bangfu.exchange.demo import load_exchange_demo


class Command(ChineseCommand):
    help = "生成演示用的部门核对数据(民政、人社),在部分家庭档案上产生核对不一致和预警(只执行一次)"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--share", type=float, default=0.06, help="抽取的成员比例")

    def handle(self, *args, seed: int, share: float, **options):
        result = load_exchange_demo(seed=seed, share=share)
        if result["jobs"]:
            self.stdout.write(f"部门核对演示数据:{result['jobs']}个部门文件,发现{result['flagged']}处不一致")
