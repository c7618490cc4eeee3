"""The report's own wording, in both languages. Frameworks bring their own texts."""

from __future__ import annotations

from smesdk.statuses import LABELS as STATUS_LABELS
from smesdk.text import Labels

_LABELS: dict[str, tuple[str, str]] = {
    "report": ("评估报告", "Assessment report"),
    "profile": ("企业概况", "Enterprise profile"),
    "name": ("企业名称", "Name"),
    "size": ("企业规模", "Size"),
    "credit_code": ("统一社会信用代码", "Unified social credit code"),
    "industry": ("行业", "Industry"),
    "region": ("地区", "Region"),
    "type": ("企业类型", "Type"),
    "assessed_on": ("评估日期", "Assessed on"),
    "assessor": ("评估人", "Assessor"),
    "framework": ("评估框架", "Framework"),
    "framework_profile": ("框架配置", "Framework profile"),
    "source": ("依据文件", "Source document"),
    "micro": ("微型企业", "micro"),
    "small": ("小型企业", "small"),
    "medium": ("中型企业", "medium"),
    "level": ("等级", "Level"),
    "total": ("总分", "Total"),
    "no_level": ("未达级", "No level reached"),
    "reached": ("当前等级", "current level"),
    "next": ("下一级", "next level"),
    "top_reached": ("已达最高等级", "The highest level is reached"),
    "blockers": ("升至下一级尚需", "Still needed for the next level"),
    "caps": ("红线（等级上限）", "Red lines (level caps)"),
    "no_levels": ("该框架不分等级", "This framework defines no levels"),
    "earlier": ("上次评估", "Earlier assessment"),
    "change": ("变化", "Change"),
    "dimensions": ("维度得分", "Dimension scores"),
    "radar": ("维度得分雷达图（得分率 %）", "Dimension scores (% of maximum)"),
    "radar_sub": ("一级维度少于 3 个，雷达图按二级维度绘制",
                  "Fewer than 3 top-level dimensions: the chart shows sub-dimensions"),
    "not_charted": ("未绘制（无分值）", "Not charted (no points)"),
    "not_in_total": ("不计入总分", "not counted in the total"),
    "current": ("本次", "This assessment"),
    "target": ("目标", "Target"),
    "target_level": ("目标等级", "Target level"),
    "target_note": ("各维度取该等级的最低总分比例，等级门槛中对维度的要求优先",
                    "each dimension at the level's minimum total, raised by any dimension test of its gate"),
    "subdimensions": ("二级维度得分", "Sub-dimension scores"),
    "dimension": ("维度", "Dimension"),
    "score": ("得分率", "Score %"),
    "points": ("得分 / 满分", "Points / maximum"),
    "gaps": ("差距", "Gaps"),
    "indicator": ("指标", "Indicator"),
    "current_pct": ("当前 %", "Now %"),
    "target_pct": ("目标 %", "Target %"),
    "impact": ("总分提升", "Gain in total"),
    "no_gaps": ("无差距", "No gaps"),
    "recommendations": ("改进建议", "Recommendations"),
    "cites": ("依据", "Cites"),
    "origin": ("来源", "From"),
    "no_recommendations": ("无改进建议", "No recommendations"),
    "extensions": ("附加分析", "Further analysis"),
    "warnings": ("提示", "Warnings"),
    "trace": ("评分明细（每个指标）", "Full trace (every indicator)"),
    "question": ("问题", "Question"),
    "status": ("状态", "Status"),
    "answer": ("答案", "Answer"),
    "rule": ("规则", "Rule"),
    "weight": ("权重", "Weight"),
    "share": ("占总分", "Share of total"),
    "contribution": ("贡献", "Contribution"),
    "evidence": ("证据", "Evidence"),
    "note": ("说明", "Note"),
    "provenance": ("出处标记", "Provenance"),
    "version": ("版本", "Version"),
    "content_hash": ("内容哈希", "Content hash"),
    "smesdk_version": ("smesdk 版本", "smesdk version"),
    "default": ("默认", "default"),
    "fallback": ("此处无中文，显示英文", "No English text here: shown in Chinese"),
    "official": ("官方", "official"),
    "derived": ("推导", "derived"),
    "unverified": ("未核实", "unverified"),
}


# Indicator statuses are worded once, in smesdk.statuses.
_LABELS.update({status.value: (text.zh, text.en) for status, text in STATUS_LABELS.items()})

label = Labels(_LABELS)
label_text = label.text


def keys() -> list[str]:
    return list(_LABELS)
