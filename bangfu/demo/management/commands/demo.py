"""`manage.py demo --households N`: load synthetic demo data (idempotent) and print the demo accounts."""

from __future__ import annotations

import time

from bangfu.common.commands import Command as ChineseCommand
from bangfu.demo.loader import DEMO_PASSWORD, load_demo
from bangfu.policy.cli import integer


def print_accounts(stdout, accounts) -> None:
    stdout.write(f"演示账号(密码均为 {DEMO_PASSWORD}):")
    for account in accounts:
        stdout.write(f"  {account.username:<15} {account.role.label:<8} {account.full_name}  ({account.organisation})")


class Command(ChineseCommand):
    help = "生成演示数据:工会组织、各角色演示账号和指定数量的困难职工家庭(可重复执行)"

    def add_arguments(self, parser):
        parser.add_argument("--households", type=integer, default=300, metavar="户数", help="家庭总数(已有的计入在内)")
        parser.add_argument("--seed", type=integer, default=2019, metavar="种子", help="随机种子")

    def handle(self, *args, households: int, seed: int, **options):
        started = time.perf_counter()
        result = load_demo(households=households, seed=seed,
                           progress=lambda n: self.stdout.write(f"  已生成 {n} 户", ending="\r"))
        self.stdout.write("")
        self.stdout.write(
            f"新增 {result['households_added']} 户(其中已建档 {result['cases_taken_over']} 户,均有复核日期)、"
            f"{result['members_added']} 人;"
            f"共 {result['households']} 户;用时 {time.perf_counter() - started:.1f} 秒"
        )
        print_accounts(self.stdout, result["accounts"])
