"""The 39 certification industry categories of seed 004, annex 2 (备注《认证行业分类》):
the codes of ``enterprise.industry``, named here once for every report, form and plugin.

``enterprise.industry`` in an answer set holds the category number as a string, "1".."39".
The Chinese names are the guide's; the English names are smesdk's translation.
"""

from __future__ import annotations

from smesdk.text import Text

_NAMES: tuple[tuple[str, str], ...] = (
    ("农业、林业和渔业", "Agriculture, forestry and fishing"),
    ("采矿业和采石业", "Mining and quarrying"),
    ("食品、饮料和烟草", "Food products, beverages and tobacco"),
    ("纺织品及纺织制品", "Textiles and textile products"),
    ("皮革及皮革制品", "Leather and leather products"),
    ("木材及木制品", "Wood and wood products"),
    ("纸浆、纸及纸制品", "Pulp, paper and paper products"),
    ("出版业", "Publishing"),
    ("印刷业", "Printing"),
    ("焦炭及精炼石油制品的制造", "Manufacture of coke and refined petroleum products"),
    ("核燃料", "Nuclear fuel"),
    ("化学品、化学制品及纤维", "Chemicals, chemical products and fibres"),
    ("药品", "Pharmaceuticals"),
    ("橡胶和塑料制品", "Rubber and plastic products"),
    ("非金属矿物制品", "Non-metallic mineral products"),
    ("混凝土、水泥、石灰、石膏及其他", "Concrete, cement, lime, plaster, etc."),
    ("基础金属及金属制品", "Basic metals and fabricated metal products"),
    ("机械及设备", "Machinery and equipment"),
    ("电和光学设备", "Electrical and optical equipment"),
    ("造船业", "Shipbuilding"),
    ("航空航天", "Aerospace"),
    ("其他运输设备", "Other transport equipment"),
    ("其他未另分类制造业", "Manufacturing not elsewhere classified"),
    ("回收业", "Recycling"),
    ("供电业", "Electricity supply"),
    ("供气业", "Gas supply"),
    ("供水业", "Water supply"),
    ("建设业", "Construction"),
    (
        "批发和零售业；汽车、摩托、个人及家庭用品修理业",
        "Wholesale and retail trade; repair of motor vehicles, motorcycles and personal and "
        "household goods",
    ),
    ("宾馆及餐馆", "Hotels and restaurants"),
    ("运输、仓储和通信业", "Transport, storage and communication"),
    ("金融中介、房地产和租赁", "Financial intermediation, real estate and renting"),
    ("信息技术", "Information technology"),
    ("工程服务", "Engineering services"),
    ("其他服务", "Other services"),
    ("公共行政管理", "Public administration"),
    ("教育", "Education"),
    ("健康和社会工作", "Health and social work"),
    ("其他社会服务", "Other social services"),
)

#: Category number ("1".."39") -> bilingual name.
INDUSTRIES: dict[str, Text] = {
    str(i): Text(zh=zh, en=en) for i, (zh, en) in enumerate(_NAMES, start=1)
}


def industry_name(code: str | None) -> Text | None:
    """The name of category *code* ("1".."39", leading zeros and spaces tolerated)."""
    if code is None:
        return None
    key = code.strip().lstrip("0") or "0"
    return INDUSTRIES.get(key)
