"""The report's own wording, in both languages. Frameworks bring their own texts."""

from __future__ import annotations

from smesdk.statuses import LABELS as STATUS_LABELS
from smesdk.text import Labels, Lang

_LABELS: dict[str, tuple[str, str]] = {
    "report": ("评估报告", "Assessment report"),
    "page_of": ("第 {page} 页 / 共 {pages} 页", "page {page} of {pages}"),
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
    "micro": ("微型企业", "micro enterprise"),
    "small": ("小型企业", "small enterprise"),
    "medium": ("中型企业", "medium-sized enterprise"),
    "type_zjtx": ("专精特新中小企业",
                  "specialised, refined, distinctive and innovative (专精特新) SME"),
    "type_little_giant": ("专精特新“小巨人”企业",
                          "\"little giant\" enterprise (小巨人) of the specialised, refined, "
                          "distinctive and innovative (专精特新) kind"),
    "type_innovative": ("创新型中小企业", "innovative SME"),
    "type_other": ("其他", "other"),
    "industry_code": ("认证行业分类第 {code} 类", "certification industry category {code}"),
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
    "indicator_id": ("指标编号（技术）", "Indicator id (technical)"),
    "current_pct": ("当前 %", "Now %"),
    "target_pct": ("目标 %", "Target %"),
    "impact": ("总分提升", "Gain in total"),
    "no_gaps": ("无差距", "No gaps"),
    "recommendations": ("改进建议", "Recommendations"),
    "cites": ("依据", "Cites"),
    "kind_red_line": ("先守住红线", "Red lines first"),
    "kind_prerequisite": ("先满足前提条件", "Prerequisites first"),
    "kind_points": ("提高得分（按总分提升排序）", "Raise the score (by gain in the total)"),
    "kind_scene_step": ("提升业务场景等级", "Raise scene levels"),
    "kind_service": ("可申请的公共服务", "Public services to ask for"),
    "kind_general": ("一般建议", "General advice"),
    "caveat": ("注意", "Caveat"),
    "gain": ("总分 +{value}", "total +{value}"),
    "origin": ("来源", "From"),
    "no_recommendations": ("无改进建议", "No recommendations"),
    "extensions": ("附加分析", "Further analysis"),
    "technical": ("技术细节（供核对与系统对接）", "Technical details (for checking and integration)"),
    "technical_json": ("插件数据（JSON）", "Plugin data (JSON)"),
    "technical_hint": ("技术数据见 JSON 结果（--json）", "Technical data: see the JSON result (--json)"),
    "marked_rows": ("标记的行计入等级要求", "Marked rows count towards the level requirements"),
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
    "evidence_description": ("说明", "description"),
    "evidence_reference": ("编号", "reference"),
    "evidence_issuer": ("出具机构", "issuer"),
    "evidence_date": ("日期", "date"),
    "evidence_expires": ("有效期至", "valid until"),
    "evidence_owner": ("负责人", "owner"),
    "none_of_them": ("均无", "none of them"),
    "note": ("说明", "Note"),
    "provenance": ("出处标记", "Provenance"),
    "version": ("版本", "Version"),
    "content_hash": ("内容哈希", "Content hash"),
    "smesdk_version": ("smesdk 版本", "smesdk version"),
    "default": ("默认", "default"),
    "fallback": ("此处无{want}，显示{shown}", "No {want} text here: shown in {shown}"),
    "lang.zh": ("中文", "Chinese"),
    "lang.en": ("英文", "English"),
    "status_legend": ("数据状态", "Status of the figures"),
    "legend_official": ("官方文件公布的原值", "the very figure an official document publishes"),
    "legend_derived": ("由官方文件推导，非官方公布的分值",
                       "worked out from an official document; not a published figure"),
    "legend_unverified": ("尚未与官方原文核实", "not yet checked against the official text"),
    "official": ("官方", "official"),
    "derived": ("推导", "derived"),
    "unverified": ("未核实", "unverified"),
}


# Indicator statuses are worded once, in smesdk.statuses.
_LABELS.update({status.value: (text.zh, text.en) for status, text in STATUS_LABELS.items()})

label = Labels(_LABELS)
label_text = label.text


def language_name(tag: str, lang: Lang) -> str:
    """The name of language ``tag`` in ``lang``; the tag itself for a language without one."""
    key = f"lang.{tag}"
    return label(key, lang) if key in _LABELS else tag


def keys() -> list[str]:
    return list(_LABELS)
