"""Write the scenario names the annotated notice shows (benefit code -> names) from tests/policy/scenarios."""

from __future__ import annotations

import json
from pathlib import Path

from bangfu.common.commands import Command as ChineseCommand
from bangfu.web.public.notice import SCENARIOS, scenarios_from

DEFAULT = Path(__file__).resolve().parents[4] / "tests" / "policy" / "scenarios"


class Command(ChineseCommand):
    help = "从 tests/policy/scenarios 生成政策解读页显示的场景测试名称(bangfu/web/public/data/scenarios.json)"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", type=Path, default=DEFAULT, metavar="目录", help="场景测试 YAML 所在目录")
        parser.add_argument("--out", type=Path, default=SCENARIOS, metavar="文件", help="输出文件")

    def handle(self, *args, source: Path, out: Path, **options):
        data = scenarios_from(source)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"{sum(map(len, data.values()))} 条场景测试名称,{len(data)} 个政策代码 → {out}")
