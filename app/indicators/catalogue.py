"""The plan's task indicators, declared once: titles, clause, lead, target and their SQL.

Each indicator's `query(scope)` is one SQLAlchemy Core SELECT with one row per subject
(establishment, village, ledger entry or complaint) in the DENOMINATOR, and two columns:
`den` (its weight in the denominator: 1, or staff for the training rate) and `num` (its
weight in the numerator). The roll-up sums them GROUP BY street office; the drill-down
lists the same rows, so lists always add up to the figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.core.labels import LEADS_EN, PLAN_CLAUSES_EN, in_reader_language, plan_text
from app.indicators import departments as dq
from app.indicators import queries as q
from app.indicators import sampling as sq
from app.indicators.sql import Scope
from app.models.establishment import (
    CATERING_CATEGORIES,
    KEY_CATERER_CATEGORIES,
)

SAMR = "市场监管局"
HEALTH = "卫健委"
OFFICE = "市食安办"
AGRI = "农业农村局"
NDRC = "发改委"
ECO = "生态环境局义马分局"
LEADS = (SAMR, HEALTH, OFFICE, AGRI, NDRC, ECO)
# The dashboard's ?lead= values: ASCII, so no Chinese name sits in an English page's markup.
LEAD_CODES = {
    "samr": SAMR,
    "health": HEALTH,
    "office": OFFICE,
    "agri": AGRI,
    "ndrc": NDRC,
    "eco": ECO,
}
# Lead departments whose plan targets no inspection, sampling or register data measures: the
# dashboard filtered to one shows these clauses and NOT_FROM_INSPECTIONS, never a made-up figure.
UNMEASURED = {
    ECO: (
        (
            "总体目标 2",
            _l(
                "全市耕地土壤环境风险得到基本管控，耕地土壤环境质量总体保持稳中向好，"
                "产地环境保护与治理取得实效。"
            ),
        ),
        (
            "主要任务 二",
            _l(
                "产地环境净化：耕地土壤环境类别划分、受污染耕地安全利用和严格管控、"
                "涉镉等重金属企业监管、挥发性有机物治理、地表水水质管控。"
            ),
        ),
    ),
}
NOT_FROM_INSPECTIONS = _l(
    "本部门的目标不来自检查数据：计划对这些目标没有可由检查、抽检或登记数据计算的数值，"
    "本系统不为其编造指标，进展以本部门的监测数据和工作总结为准。"
)
# What the issue #14 indicators read in their programme files (app/checklists/*.toml).
CONSISTENCY_ITEM = "of.shop.01"  # online_food: 线上线下一致 (licence and address)
INCOMING_GOODS = "goods"  # importer: the 进货查验 section

COMMON_RULE = _l(
    "分母为期末（统计期最后一刻）仍在册的单位：期末前已登记、期末时未注销；期内注销的单位不计入。"
    "分子看该单位在截至期末的 12 个月内最近一次有效检查（已提交、未被更正替代）的结果，"
    "同一单位复查后以最新结果为准，超过 12 个月的检查不计。"
)


# The sampling indicators (抽检/快检 register, app.sampling): the period's days, not 12 months.
SAMPLING_RULE = _l(
    "统计期第一天至期末（统计期未结束的至今天）检测的农药残留、兽药残留、瘦肉精、孔雀石绿项目样品"
    "（快检和实验室检测，农贸市场和食品经营店）中检测结果为合格的比例；每个样品计一次。"
    "计划要求生产销售的食用农产品符合食品安全国家标准，故目标按全部合格计。"
)
DAILY_RULE = _l(
    "期末在册的农贸市场中，统计期内（统计期未结束的至今天）有快检记录的工作日"
    "不少于该期间工作日的 %(p)d%% 的比例。工作日按节假日与调休推算，节假日的检测不计入也不要求。",
    p=sq.DAILY_SHARE_PERCENT,
)


@dataclass(frozen=True)
class Indicator:
    """One of the plan's measurable targets."""

    code: str
    title: str  # Chinese, as the plan words it
    title_en: str
    clause: str
    lead: str
    comparator: str  # ">" or ">="
    target: float
    subject: str  # establishment / village / action / complaint / sample
    rule: object  # lazy text: how it is computed, shown on the dashboard
    query: Callable[[Scope], Select]
    weighted: bool = False  # numerator and denominator are staff, not establishments
    scored_on: str | None = None  # the programme whose inspections count, "*" any, None none

    def met(self, value: float | None) -> bool | None:
        """Whether a rate meets the target; None when there is nothing to count."""
        if value is None:
            return None
        eps = 1e-9
        return value > self.target + eps if self.comparator == ">" else value >= self.target - eps

    @property
    def target_text(self) -> str:
        """The target as the plan writes it: ≥100%, ＞80%."""
        greater = in_reader_language("＞", ">")  # the plan writes a full-width ＞
        return f"{greater if self.comparator == '>' else '≥'}{self.target * 100:g}%"

    @property
    def title_text(self) -> str:
        """The title in the reader's language (Chinese in exports)."""
        return in_reader_language(self.title, self.title_en)

    @property
    def clause_text(self) -> str:
        """The plan clause in the reader's language."""
        return plan_text(PLAN_CLAUSES_EN, self.clause)

    @property
    def lead_text(self) -> str:
        """The lead agency in the reader's language."""
        return lead_text(self.lead)


def lead_text(lead: str) -> str:
    """A lead agency's name in the reader's language."""
    return plan_text(LEADS_EN, lead)


# What the counted and gap lists hold when the figure counts staff, not units.
WEIGHTED_LISTS = _l(
    "按人数计的指标：全员已培训的单位列在“已计入分子”；部分培训或没有人数的单位列在差距清单，"
    "其已培训人数仍计入分子。每个单位只出现在其中一个清单。"
)


def full_coverage(
    code, title, title_en, clause, rule, query, *, lead=SAMR, subject="establishment", **extra
) -> Indicator:
    """An indicator whose target is every subject (≥100%), led by 市场监管局 unless said."""
    return Indicator(code, title, title_en, clause, lead, ">=", 1.0, subject, rule, query, **extra)


INDICATORS: list[Indicator] = [
    full_coverage(
        "surveillance_sites",
        "社区卫生服务中心食源性疾病监测哨点覆盖率",
        "Community health centres that are surveillance sites",
        "总体目标 1",
        _l("期末在册的社区卫生服务中心中，登记为食源性疾病监测哨点的比例（按单位当前登记状态）。"),
        q.surveillance,
        lead=HEALTH,
    ),
    Indicator(
        "five_goods",
        "农村食品经营店“五好”规范化建设达标率",
        "Rural food shops meeting the five goods",
        "总体目标 5",
        SAMR,
        ">",
        0.8,
        "establishment",
        _l("期末在册的农村食品经营店中，最近一次“五好”检查五项全部达标的比例。"),
        q.inspected(("rural_shop",), "five_goods", q.five_goods_met),
        scored_on="five_goods",
    ),
    full_coverage(
        "village_coordinators",
        "农村食品安全协管员覆盖率",
        "Villages with an active coordinator",
        "总体目标 5",
        _l("所有村中，统计期最后一天有在岗协管员（任职开始日不晚于该日、未离任）的村的比例。"),
        q.coordinators,
        subject="village",
    ),
    full_coverage(
        "key_bright_kitchen",
        "重点餐饮单位“互联网+明厨亮灶”实施率",
        "Key caterers with bright kitchen live",
        "总体目标 6",
        _l(
            "期末在册的大型餐馆、中央厨房、集体用餐配送单位中，最近一次餐饮检查明厨亮灶在线的比例。"
        ),
        q.inspected(KEY_CATERER_CATEGORIES, "catering", q.bright_kitchen),
        scored_on="catering",
    ),
    full_coverage(
        "catering_staff_trained",
        "餐饮从业人员培训率",
        "Catering staff trained (staff-weighted)",
        "总体目标 6",
        _l(
            "按人数计：期末在册餐饮单位最近一次餐饮检查记录的已培训人数之和 ÷ 从业人数之和。"
            "12 个月内未检查的单位没有人数，不计入分母，但列在差距清单中。"
        ),
        q.inspected(CATERING_CATEGORIES, "catering", q.trained, q.staff),
        weighted=True,
        scored_on="catering",
    ),
    full_coverage(
        "market_risk_grading",
        "农贸市场风险分级覆盖率",
        "Markets holding a risk grade assessed in the last 12 months",
        "总体目标 7",
        _l(
            "期末在册的农贸市场中，截至期末 12 个月内经市场检查评定风险等级（或登记有该期间内的评定日期）的比例。"
        ),
        q.markets,
        scored_on="market",
    ),
    full_coverage(
        "three_small_registered",
        "“三小”登记备案监管覆盖率",
        '"Three small" units with a valid registration or filing',
        "总体目标 8",
        _l(
            "期末在册的小作坊、小经营店、小摊点中，统计期最后一天持有有效登记证或备案卡（已发证、未过期、未注销）的比例。"
        ),
        q.registered,
    ),
    full_coverage(
        "school_bright_kitchen",
        "学校食堂“互联网+明厨亮灶”覆盖率",
        "School canteens with bright kitchen live",
        "总体目标 10",
        _l("期末在册的学校食堂中，最近一次学校食堂检查明厨亮灶在线的比例。"),
        q.inspected(("school_canteen",), "school_canteen", q.bright_kitchen),
        scored_on="school_canteen",
    ),
    full_coverage(
        "school_yushi_app",
        "学校食堂“豫食考核”APP 安装使用率",
        "School canteens whose staff use the Yushi app",
        "总体目标 10",
        _l("期末在册的学校食堂中，最近一次学校食堂检查记录从业人员安装并使用“豫食考核”的比例。"),
        q.inspected(("school_canteen",), "school_canteen", q.yushi),
        scored_on="school_canteen",
    ),
    full_coverage(
        "visit_frequency",
        "按风险等级完成检查频次的单位比例",
        "Establishments visited as often as their risk grade requires",
        "工作措施",
        _l(
            "期末在册、有适用检查表的单位（每个类别都有检查表）截至期末 12 个月内的有效检查次数，不少于其风险等级要求的年检查次数"
            "（A 1 次、B 2 次、C 3 次、D 4 次；未评级按 B；中央厨房、集体用餐配送单位不低于 C）。按单位当前风险等级。"
        ),
        q.visits,
        scored_on="*",
        lead=OFFICE,
    ),
    full_coverage(
        "ledger_on_time",
        "挂账隐患按期销号率",
        "Ledger entries closed by their due date",
        "工作措施",
        _l(
            "整改期限在统计期内（且不晚于今天）的挂账隐患中，在期限当天或之前经复查核销（已核验）的比例；"
            "当场整改、无期限的不计。"
        ),
        q.ledger,
        lead=OFFICE,
        subject="action",
    ),
    full_coverage(
        "complaints_15_days",
        "投诉举报按期办理率",
        "Complaints and reports handled on time",
        "工作措施",
        _l(
            "统计期内收到的投诉举报中按期办理的比例（工作日按节假日与调休推算，自收到次日起）："
            "举报 15 个工作日内核查并作出决定（延长一次的 30 个工作日）；投诉 7 个工作日内决定是否受理，"
            "受理的自受理次日起 15 个工作日内办结（延长一次的 30 个工作日）。"
            "已超过期限仍未办理的计为未达标，未到期限的暂不计入；内部举报不计入。"
        ),
        q.complaints,
        lead=OFFICE,
        subject="complaint",
    ),
    full_coverage(
        "produce_pass_rate",
        "食用农产品抽检快检合格率",
        "Produce samples passing (pesticide and veterinary-drug residues)",
        "总体目标 3",
        SAMPLING_RULE,
        sq.produce_pass,
        lead=AGRI,
        subject="sample",
    ),
    full_coverage(
        "market_daily_rapid_tests",
        "农贸市场每日快检开展率",
        "Markets doing their daily rapid tests",
        "主要任务 七",
        DAILY_RULE,
        sq.daily_rapid_tests,
    ),
    # --- Issue #14: each lead department's measurable targets (发改委's grain, kitchen waste,
    # 合格证). The plan gives these no number; as for produce_pass_rate the target is every unit.
    full_coverage(
        "grain_inspected",
        "粮食企业监督检查覆盖率",
        "Grain enterprises inspected in the last 12 months",
        "总体目标 11",
        _l(
            "期末在册的粮食企业中，截至期末 12 个月内有粮食储存与加工检查的比例。"
            "计划要求提升粮食质量安全保障水平，未给出数值，故目标按全部检查计。"
        ),
        q.inspected(("grain_enterprise",), "grain", dq.was_inspected),
        lead=NDRC,
        scored_on="grain",
    ),
    full_coverage(
        "grain_new_harvest_tested",
        "粮食企业新收获粮食按批次质量检验落实率",
        "Grain enterprises testing the new harvest batch by batch",
        "主要任务 十一",
        _l(
            "期末在册的粮食企业中，最近一次粮食储存与加工检查“新收获粮食入库前按批次检验”一项合格的比例；"
            "未检查、不合格或不适用的列在差距清单。计划要求开展新收获粮食质量调查，未给出数值，"
            "故目标按全部落实计。"
        ),
        q.inspected(("grain_enterprise",), "grain", dq.answered_pass(dq.GRAIN_NEW_HARVEST_ITEM)),
        lead=NDRC,
        scored_on="grain",
    ),
    full_coverage(
        "kitchen_waste_collected",
        "餐饮单位餐厨废弃物交有资质单位收运率",
        "Caterers handing kitchen waste to a licensed collector",
        "总体目标 6",
        _l(
            "期末在册的餐饮服务单位中，最近一次餐饮检查“餐厨废弃物分类存放，交由有资质的单位收运处置，"
            "并有记录”一项合格的比例。计划要求基本建成餐厨垃圾处理设施及收运体系，未给出数值，"
            "故目标按全部收运计。"
        ),
        q.inspected(CATERING_CATEGORIES, "catering", dq.answered_pass(dq.KITCHEN_WASTE_ITEM)),
        scored_on="catering",
    ),
    full_coverage(
        "produce_certificates",
        "食用农产品检测批次附承诺达标合格证比例",
        "Produce batches tested that carry a compliance certificate",
        "主要任务 七",
        _l(
            "统计期第一天至期末（统计期未结束的至今天）检测的农药残留、兽药残留、瘦肉精、孔雀石绿项目样品中，"
            "登记该批次附有承诺达标合格证的比例；每个样品计一次，未登记的按未附计。"
            "计划要求推行承诺达标合格证制度，未给出数值，故目标按全部批次附证计。"
        ),
        dq.produce_certified,
        subject="sample",
    ),
    # --- Issue #14: the programmes of tasks 四, 九 and 十二 (health food, online, imports) ---
    # The plan gives these goals no number; like produce_pass_rate, the target is every unit.
    full_coverage(
        "health_food_inspected",
        "保健食品经营者监督检查覆盖率",
        "Health-food sellers inspected in the last 12 months",
        "总体目标 4",
        _l(
            "期末在册的保健食品经营者中，截至期末 12 个月内有保健食品经营检查的比例。"
            "计划要求全面开展保健食品监督检查，未给出数值，故目标按全部检查计。"
        ),
        q.inspected(("health_food_seller",), "health_food", q.inspected_at_all),
        scored_on="health_food",
    ),
    full_coverage(
        "online_offline_consistent",
        "网络餐饮服务单位“线上线下一致”核查达标率",
        "Online caterers checked and found to match online and offline",
        "总体目标 9",
        _l(
            "期末在册的网络餐饮服务单位中，最近一次网络食品检查核对“线上线下一致”"
            "（网店公示的许可证、地址与实体店一致）且结果为合格的比例；未核查、不适用或不一致的列在差距清单。"
            "计划未给出数值，故目标按全部落实计。"
        ),
        q.inspected(("online_caterer",), "online_food", q.item_passed(CONSISTENCY_ITEM)),
        scored_on="online_food",
    ),
    full_coverage(
        "import_records_complete",
        "进口食品经营者进货查验记录完整率",
        "Import-food sellers with complete incoming-goods records",
        "总体目标 12",
        _l(
            "期末在册的进口食品经营者中，最近一次进口食品经营检查“进货查验”一节"
            "（报关单、入境货物检验检疫证明、进货查验记录及其保存）无不合格项、至少一项合格的比例。"
            "计划未给出数值，故目标按全部落实计。"
        ),
        q.inspected(
            ("import_food_seller",), "importer", q.section_passed("importer", INCOMING_GOODS)
        ),
        scored_on="importer",
    ),
]
BY_CODE = {ind.code: ind for ind in INDICATORS}


def get_indicator(code: str) -> Indicator | None:
    """The declared indicator with this code, if any."""
    return BY_CODE.get(code)


def query_for(indicator: Indicator, scope: Scope) -> Select:
    """The indicator's per-subject SELECT for a scope."""
    return indicator.query(scope)
