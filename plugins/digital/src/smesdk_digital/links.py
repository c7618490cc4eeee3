"""Static mappings of the digital framework: business links, scene groups, product advice.

Everything here is the plugin's own reading of seed 001 (中小企业数字化转型指南):
which scenes and data-collection steps belong to which of the guide's business links
(研产供销服, plus the 管理 link of 解读问3), and which product categories of the guide
and its glossary address each scene. A category is linked to a scene only where the guide
itself names it for that business link (二（二）, 二（三）, 三（一）) or its glossary describes it
doing that scene's work; the guide places OMS with WMS and TMS under 仓储物流, so it is
advised for warehousing only. It is data, kept out of the hook code so tests can check it
against the framework spec and the guide.
"""

from __future__ import annotations

from typing import NamedTuple

from smesdk import Text

OPS = "operations"
DATA_STEPS = "foundation.data.auto_collection"


class Link(NamedTuple):
    id: str
    title: Text
    scenes: tuple[str, ...]  # full ids of the scene indicators
    steps: tuple[str, ...]  # option values of foundation.data.auto_collection
    items: tuple[str, ...] = ()  # scored items whose gaps also belong to the link


#: The business links of guide 二（一） ("研产供销服等环节") and the management link
#: (解读问3: "业务环节和管理环节"), in the guide's order.
LINKS: tuple[Link, ...] = (
    Link("rd", Text(zh="研发设计", en="R&D and design"),
         (f"{OPS}.lifecycle.product_design", f"{OPS}.lifecycle.process_design"),
         ("product_design", "process_design")),
    Link("production", Text(zh="生产制造", en="Production"),
         tuple(f"{OPS}.production.{s}" for s in
               ("planning", "production_control", "quality", "equipment", "safety", "energy")),
         ("planning", "production_control", "quality", "equipment", "safety", "energy"),
         ("foundation.equipment.network", "foundation.equipment.digital_rate",
          "foundation.equipment.network_rate")),
    Link("supply", Text(zh="采购供应", en="Supply"),
         (f"{OPS}.supply_chain.purchasing", f"{OPS}.supply_chain.warehousing"),
         ("purchasing", "warehousing")),
    Link("sales", Text(zh="营销销售", en="Sales"),
         (f"{OPS}.lifecycle.marketing",), ("marketing",)),
    Link("service", Text(zh="售后服务", en="Service"),
         (f"{OPS}.lifecycle.after_sales",), ("after_sales",)),
    Link("management", Text(zh="经营管理", en="Management"),
         tuple(f"{OPS}.management.{s}" for s in ("finance", "hr", "office", "decision")),
         ("finance", "hr")),
)

#: Weights of the potential-value sum: a constraining scene counts double, a data step half.
SCENE_WEIGHT = 1
CONSTRAINED_WEIGHT = 2
STEP_WEIGHT_NUM, STEP_WEIGHT_DEN = 1, 2
ITEM_WEIGHT = 1

#: The feasibility inputs (guide 二（一）: people, money, market and public resources):
#: full id -> how to read a 0–1 fraction from it (points / max points of the indicator).
RESOURCE_ITEMS: tuple[str, ...] = (
    "resources.budget",
    "resources.staff",
    "resources.provider",
    "resources.public_service",
    "management.enablers.talent",
)


class Advice(NamedTuple):
    products: Text
    clause: str


_CAD = Advice(Text(zh="SaaS化CAD、CAE等订阅式研发设计工具，发展众包设计、协同研发",
                   en="SaaS CAD and CAE design tools on subscription; crowdsourced and "
                      "collaborative design"), "二（三）")
_PLM = Advice(Text(zh="产品全生命周期管理，构建产品数字镜像、提升产品数据管理水平",
                   en="product-lifecycle management with a digital image of the product and "
                      "better product-data management"), "二（三）")
_MES = Advice(Text(zh="云化制造执行系统（MES），实现生产过程控制、质量和车间库存管理",
                   en="a cloud manufacturing execution system (MES) for production control, "
                      "quality and shop-floor stock"), "二（三）")
_APS = Advice(Text(zh="云化MES与高级计划与排程（APS），在有限产能下优化计划",
                   en="cloud MES with advanced planning and scheduling (APS) to plan under "
                      "finite capacity"), "二（三）")
_LOG = Advice(Text(zh="仓库管理（WMS）、订单管理（OMS）、运输管理（TMS）方案，AGV/AMR等硬件，"
                      "第三方物流平台",
                   en="warehouse, order and transport management (WMS, OMS, TMS), AGV/AMR "
                      "hardware and third-party logistics platforms"), "二（三）")
_SUB = Advice(Text(zh="订阅式、SaaS化产品服务，推动营销服务等业务环节数字化",
                   en="subscription and SaaS products to digitalise sales and service"), "二（三）")
_SVC = Advice(Text(zh="基于数字化产品的增值服务与产品数字镜像，拓展服务模式",
                   en="value-added services built on digital products and a digital image of "
                      "the product"), "二（三）")
_FIN = Advice(Text(zh="财务流程自动化产品", en="financial-process automation products"),
              "二（二）")
_HR = Advice(Text(zh="标准化人力资源管理产品", en="standard human-resources management products"),
             "二（二）")
_OFF = Advice(Text(zh="协同办公平台", en="a collaborative office platform"), "二（二）")
_APPS = Advice(Text(zh="即时沟通、远程协作、项目管理、流程管理等基础数字应用",
                    en="basic apps for messaging, remote work, project management and workflow"),
               "三（一）")
_RETROFIT = Advice(Text(zh="电信运营商、智能硬件企业等服务商提供的网络建设和硬件改造连接服务",
                        en="network-building and hardware retrofit-and-connect services from "
                           "telecom operators, smart-hardware firms and other providers"),
                   "三（二）")
_IIP = Advice(Text(zh="工业互联网平台，推动数据综合集成、可视化和智能分析",
                   en="an industrial internet platform for data integration, visualisation "
                      "and intelligent analysis"), "二（二）")
_LOW = Advice(Text(zh="低代码产品，由业务人员自主构建个性化应用",
                   en="low-code products so staff can build their own apps"), "三（一）")
CHAIN_ADVICE = Advice(Text(zh="产业链供应链核心企业（链主）搭建的工业互联网平台，"
                              "融入其生态协作配套",
                     en="the industrial internet platform of the chain's core firm (chain "
                        "leader), to work inside its ecosystem"), "二（四）")

#: scene local id -> product categories of the guide (and glossary) that address it.
SCENE_ADVICE: dict[str, tuple[Advice, ...]] = {
    "product_design": (_CAD, _PLM),
    "process_design": (_CAD, _PLM),
    "marketing": (_SUB, _IIP),
    "after_sales": (_SVC, _LOW),
    "planning": (_APS,),
    "production_control": (_MES,),
    "quality": (_MES, _IIP),
    "equipment": (_RETROFIT, _IIP),
    "safety": (_IIP, _LOW),
    "energy": (_IIP, _LOW),
    "purchasing": (CHAIN_ADVICE, _LOW),
    "warehousing": (_LOG,),
    "finance": (_FIN,),
    "hr": (_HR,),
    "office": (_OFF, _APPS),
    "decision": (_IIP,),
}

#: Scenes whose level-4 descriptor is about chain-level coordination: when level 4 is the
#: target, the guide's ecosystem advice (二（四）) applies as well.
CHAIN_SCENES = frozenset({"product_design", "marketing", "quality", "purchasing", "warehousing"})

#: General advice of the guide, given once per result.
GENERAL_ADVICE: tuple[Advice, ...] = (
    Advice(Text(zh="优先选用“小快轻准”的订阅式产品服务，降低一次性投入（SaaS：按期付费使用软件）",
                en="prefer small, fast, light and precise subscription services to avoid "
                   "one-off spending (SaaS: pay per period to use the software)"), "二（三）"),
    Advice(Text(zh="对接中小企业公共服务平台，参加政策宣贯、供需对接、咨询诊断和人才培训",
                en="use the SME public service platform: policy briefings, matchmaking, "
                   "consulting diagnosis and training"), "二（四）"),
    Advice(Text(zh="参加主管部门组织的数字化转型“问诊”和专家“入驻式”诊断服务",
                en="take part in the transformation 'consultations' and the experts' on-site "
                   "(入驻式) diagnosis that the authorities organise"), "四（四）"),
    Advice(Text(zh="应用链主企业的工业互联网平台和行业龙头企业的共性解决方案，融入核心企业生态圈",
                en="join the chain leader's industrial internet platform and use the sector "
                   "leaders' common solutions"), "二（四）"),
    Advice(Text(zh="每个阶段结束后重新评测，按“评估-规划-实施-优化”闭环调整下一阶段策略",
                en="re-assess after each stage and adjust the next stage's strategy: evaluate, "
                   "plan, implement, optimise"), "二（五）"),
)

#: Indicators whose published bands look implausible (see their status_note): advice to
#: climb them carries the doubt as a caveat instead of leading the list on points.
DOUBTFUL_BANDS: frozenset[str] = frozenset({"management.enablers.funding"})
