"""Display labels for the codes stored in the database, one place for every page and export.

Lazy: each renders in the language of the request (exports and audit summaries force
Chinese, see in_chinese). The models keep the codes; templates get these tables as globals
(app.web.plumbing), so no page spells a label out itself.
"""

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

PROGRAMMES = {
    "five_goods": _l("农村食品经营店“五好”"),
    "school_canteen": _l("学校食堂"),
    "market": _l("农贸市场风险分级"),
    "three_small": _l("“三小”日常监管"),
    "catering": _l("餐饮量化分级"),
    "food_sales": _l("食品销售"),
    "health_food": _l("保健食品经营"),
    "online_food": _l("网络食品线上线下一致"),
    "grain": _l("粮食储存加工"),
    "surveillance_site": _l("食源性疾病监测哨点"),
    "importer": _l("进口食品经营"),
}
OUTCOMES = {"compliant": _l("符合"), "basic": _l("基本符合"), "noncompliant": _l("不符合")}
SMILEYS = {"excellent": _l("优秀"), "good": _l("良好"), "fair": _l("一般"), "none": _l("不予评级")}
# The catering grade as the inspection record words it (SMILEYS is the public sign's).
CATERING_GRADE_LABELS = {
    "excellent": _l("优秀"),
    "good": _l("良好"),
    "fair": _l("一般"),
    "none": _l("不予评级，限期整改"),
}
RESULT_LABELS = {"pass": _l("合格"), "fail": _l("不合格"), "na": _l("不适用")}  # an item's answer
HANDLING_LABELS = {
    "on_spot": _l("当场整改"),
    "deadline": _l("书面限期整改"),
    "investigate": _l("调查处理"),
    "stop": _l("停止经营"),
}
# Review before publication (审核, app.publication.review).
REVIEW_STATE_LABELS = {
    "pending": _l("待审核"),
    "approved": _l("已审核公示"),
    "returned": _l("已退回待修改"),
}
INSPECTION_TYPE_LABELS = {
    "routine": _l("日常检查"),
    "random": _l("双随机检查"),
    "special": _l("专项检查"),
    "flying": _l("飞行检查"),
    "followup": _l("复查"),
    "complaint": _l("投诉举报核查"),
}
# A visit that could not inspect (app.models.attempt): what the inspector found.
ATTEMPT_REASON_LABELS = {
    "closed": _l("停业/关门"),
    "refused": _l("拒绝检查"),
    "moved": _l("已搬离/查无此户"),
}
LEDGER_STATE_LABELS = {
    "open": _l("待整改"),
    "rectified": _l("已整改待复查"),
    "verified": _l("已销号"),
    "escalated": _l("已升级督办"),
}
SUBJECTS = {
    "establishment": _l("单位"),
    "village": _l("村"),
    "action": _l("挂账隐患"),
    "complaint": _l("投诉举报"),
}
COMPLAINT_STATE_LABELS = {"open": _l("待处理"), "in_progress": _l("处理中"), "closed": _l("已办结")}
# An insider's reward (内部吹哨人), tracked by the admins who handle the report.
REWARD_LABELS = {
    "none": _l("未申请"),
    "reviewing": _l("审核中"),
    "paid": _l("已发放"),
    "refused": _l("不予奖励"),
}
REGISTRATION_STATE_LABELS = {
    "applied": _l("待审批"),
    "issued": _l("有效"),
    "cancelled": _l("已注销"),
    "superseded": _l("已延续"),
}
REGISTRATION_KIND_LABELS = {"registration": _l("登记证"), "filing": _l("备案卡")}
# The number the public page shows: a licence's, or the latest registration's or filing's.
NUMBER_KIND_LABELS = {
    "licence": _l("许可证号"),
    "registration": _l("登记证号"),
    "filing": _l("备案卡号"),
}
PHOTO_KIND_LABELS = {
    "item": _l("检查项照片"),
    "establishment": _l("单位照片"),
    "complaint": _l("举报照片"),
    "rectification": _l("整改照片"),
    "registration": _l("登记照片"),
}
ROLE_LABELS = {"admin": _l("管理员"), "inspector": _l("检查员"), "viewer": _l("查看者")}
# How a deadline is counted (app.core.workdays): the law says working days or months.
DAY_COUNT_LABELS = {"working": _l("工作日"), "calendar": _l("自然日"), "month": _l("自然月")}
DAY_MARK_LABELS = {True: _l("班"), False: _l("休")}  # a calendar day: worked or off
CALENDAR_SOURCE_LABELS = {
    "package": _l("国务院公告（chinese-calendar）"),
    "admin": _l("管理员录入"),
    "weekend": _l("仅按周末"),
}
# The official names of the State Council's holidays (app.core.workdays keeps them in Chinese).
HOLIDAY_LABELS = {
    "元旦": _l("元旦"),
    "春节": _l("春节"),
    "清明节": _l("清明节"),
    "劳动节": _l("劳动节"),
    "端午节": _l("端午节"),
    "国庆节": _l("国庆节"),
    "中秋节": _l("中秋节"),
    "抗战胜利70周年纪念日": _l("抗战胜利70周年纪念日"),
}


# The plan's own words (indicator clauses, lead agencies) are data in Chinese, with their
# English beside them here; in_reader_language picks one. Exports force Chinese.
PLAN_CLAUSES_EN = {
    "总体目标 1": "Overall goal 1",
    "总体目标 3": "Overall goal 3",
    "总体目标 4": "Overall goal 4",
    "总体目标 5": "Overall goal 5",
    "总体目标 6": "Overall goal 6",
    "总体目标 7": "Overall goal 7",
    "总体目标 8": "Overall goal 8",
    "总体目标 9": "Overall goal 9",
    "总体目标 10": "Overall goal 10",
    "总体目标 12": "Overall goal 12",
    "工作措施": "Working measures",
    "主要任务 七": "Main task 7",
    "总体目标 2": "Overall goal 2",
    "总体目标 11": "Overall goal 11",
    "主要任务 二": "Main task 2",
    "主要任务 十一": "Main task 11",
}
PLACES_EN = {"义马市": "Yima City"}  # the configured city's name (FANGXIN_CITY_NAME)
LEADS_EN = {
    "市场监管局": "Market Regulation Bureau",
    "卫健委": "Health Commission",
    "市食安办": "City Food Safety Office",
    "农业农村局": "Agriculture and Rural Affairs Bureau",
    "发改委": "Development and Reform Commission",
    "生态环境局义马分局": "Yima Branch of the Ecology and Environment Bureau",
}


def in_reader_language(zh: str, en: str | None) -> str:
    """The English text on an English page when there is one, else the Chinese."""
    locale = get_locale()
    return en if en and locale is not None and locale.language == "en" else zh


def plan_text(table: dict, zh: str) -> str:
    """A plan text (clause, lead agency) kept in Chinese, in the reader's language."""
    return in_reader_language(zh, table.get(zh))


def label(table: dict, code: str | None) -> str:
    """The label for a code, the code itself when unknown, '' for none."""
    return "" if code is None else str(table.get(code, code))


def in_chinese(text) -> str:
    """A label as the office's records keep it (audit summaries): Chinese, whatever the UI's."""
    with force_locale("zh_CN"):
        return str(text)


def count_label(unit: str, amount: int) -> str:
    """How long a deadline runs: "15个工作日", "2个月（自然月）" or "15个自然日"."""
    if unit == "month":
        return _l("%(n)d个月（自然月）", n=amount)
    if unit == "working":
        return _l("%(n)d个工作日", n=amount)
    return _l("%(n)d个自然日", n=amount)


def unconfigured_year_label(year: int) -> str:
    """The warning for a year whose holidays no one has entered (weekends only counted)."""
    return _l("%(y)d年节假日未配置", y=year)


# 典型案例 (app.cases)
CASE_STATE_LABELS = {"draft": _l("草稿"), "published": _l("已发布"), "withdrawn": _l("已撤回")}
CASE_SOURCE_LABELS = {
    "": _l("独立撰写"),
    "inspection": _l("检查记录"),
    "ledger": _l("挂账隐患"),
    "complaint": _l("投诉举报"),
}
# 投诉 / 举报, the steps their clocks time and where a case stands (app.public.complaint_clock)
COMPLAINT_KIND_LABELS = {"complaint": _l("投诉"), "report": _l("举报")}
COMPLAINT_STEP_LABELS = {
    "accept": _l("受理决定"),
    "check": _l("核查线索"),
    "handle": _l("办理"),
    "notify": _l("告知举报人"),
}
COMPLAINT_STAGE_LABELS = {
    "accept": _l("待受理"),
    "check": _l("核查中"),
    "handle": _l("办理中"),
    "accepted": _l("已受理"),
    "rejected": _l("不予受理"),
    "closed": _l("已办结"),
}


# 抽检/快检 (app.models.sample)
TEST_ITEM_LABELS = {
    "pesticide": _l("农药残留（有机磷和氨基甲酸酯类）"),
    "vet_drug": _l("兽药残留"),
    "clenbuterol": _l("瘦肉精"),
    "formaldehyde": _l("甲醛"),
    "sulfur_dioxide": _l("二氧化硫"),
    "malachite_green": _l("孔雀石绿"),
    "other": _l("其他项目"),
}
SAMPLE_METHOD_LABELS = {"rapid": _l("快检"), "lab": _l("实验室检测")}
SAMPLE_RESULT_LABELS = {"pass": _l("合格"), "fail": _l("不合格")}
BATCH_ACTION_LABELS = {"off_sale": _l("下架"), "destroyed": _l("销毁"), "traced": _l("溯源")}
# app.models.plan; "flying" is the one-unit plan behind a 飞行检查, never offered on the plan form
PLAN_KIND_LABELS = {"annual": _l("年度计划"), "special": _l("专项检查"), "flying": _l("飞行检查")}
PLAN_QUOTA_LABELS = {"percent": _l("按比例"), "count": _l("按数量")}
PLAN_VISIT_STATE_LABELS = {
    "open": _l("待检查"),
    "done": _l("已检查"),
    "could_not_inspect": _l("未能检查"),
    "cancelled": _l("已作废（重新抽取）"),
}
# Where a 飞行检查's clue came from (app.models.plan.CLUE_KINDS)
FLYING_CLUE_LABELS = {
    "complaint": _l("投诉举报"),
    "insider": _l("内部举报"),
    "sample": _l("不合格检测"),
    "ledger": _l("逾期挂账"),
    "unit": _l("单位（无线索来源）"),
}
# Where a lead department's summary stands (app.summaries.deadlines.STATUSES)
SUMMARY_STATUS_LABELS = {
    "not_started": _l("未开始"),
    "draft": _l("草稿"),
    "submitted": _l("已提交"),
    "late": _l("逾期"),
    "submitted_late": _l("逾期提交"),
}
