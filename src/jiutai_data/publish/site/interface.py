"""The words of the site's interface, in English and Chinese: the one place they are written.

The pages and their script read every heading, button, label and message from here (the
templates through ``words``, the script through ``data/interface.js``), so choosing 中文 turns the
whole interface to Chinese and no page keeps a phrase of its own.

A column is titled from its Table Schema: its ``title`` where the schema gives one, else its name
read as words (``value_high_as_stated`` → "Value high, as stated"); its Chinese title from the
schema's ``title_zh`` where given, else from ``COLUMN_TITLES_ZH`` below, else its English title. The
values of an enum are labelled from ``ENUM_LABELS`` (a measure by figures.MEASURE_NAMES, which the
charts use too), else read as words; the value itself stays what filters and files hold.
"""

from __future__ import annotations

import json

from jiutai_data.model.schema import Field
from jiutai_data.publish.site.figures import MEASURE_NAMES

# key → (English, Chinese)
TEXTS: dict[str, tuple[str, str]] = {
    "skip": ("Skip to content", "跳到正文"),
    # the overview page
    "sources_intro": ("Every row of every table quotes one of these documents word for word; open a row's “Trace” "
                      "to see the quote in the text.",
                      "每张表的每一行都逐字引用下列文件之一；点击一行的“溯源”，即可在原文中看到这段引文。"),
    "col_table": ("Table", "表"),
    "col_rows": ("Rows", "行数"),
    "col_what": ("What one row is", "每一行是什么"),
    "col_file": ("File", "文件"),
    "col_contents": ("Contents", "内容"),
    "col_size": ("Size", "大小"),
    "texts_licence": ("The source texts belong to their publishers and are included only so that every row can be "
                      "checked against its quote.",
                      "原文的权利属于其发布者；收录原文，只是为了让每一行都能与其引文核对。"),
    "cite_as": ("Cite as:", "引用格式："),
    "cite_sources": ("Please also cite the original source documents listed above.", "请同时引用上列原始文件。"),
    "pages": ("Pages", "页面"),
    "overview": ("Overview", "概览"),
    "charts": ("Charts", "图表"),
    "headline": ("Headline figures", "主要指标"),
    "language": ("Language", "语言"),
    "both": ("Both", "双语"),
    "rows": ("Rows", "数据行"),
    "search": ("Search all columns (中文 or English)", "搜索所有列（中文或英文）"),
    "search_example": ("e.g. 地区生产总值 or investment", "例如 地区生产总值 或 investment"),
    "page_size": ("Rows per page", "每页行数"),
    "clear": ("Clear search and filters", "清除搜索和筛选"),
    "hint": ("Sort by a column with its heading button. Filter a column with the box under its heading: text matches "
             "anywhere; in number columns >100, <=5 or =3 compare.",
             "点击列标题排序。在标题下方的框中筛选：文字可匹配任意位置；数字列可用 >100、<=5 或 =3 比较。"),
    "hint_trace": ("“Trace” shows the row’s quote in its source text.", "“溯源”显示该行引文在原文中的位置。"),
    "loading": ("Loading rows…", "正在加载数据…"),
    "previous": ("← Previous", "← 上一页"),
    "next": ("Next →", "下一页 →"),
    "source_column": ("Source", "来源"),
    "all": ("all", "全部"),
    "filter": ("Filter", "筛选"),
    "download": ("Download", "下载"),
    "dictionary": ("Field dictionary", "字段说明"),
    "below_rows": ("The field dictionary is below the rows.", "字段说明在数据行下方。"),
    "field": ("Field", "字段"),
    "title": ("Title", "标题"),
    "type": ("Type", "类型"),
    "required": ("Required", "必填"),
    "constraints": ("Constraints", "约束"),
    "description": ("Description", "说明"),
    "yes": ("yes", "是"),
    "provenance": ("Where this row comes from", "这一行的出处"),
    "close": ("Close", "关闭"),
    "row_link": ("Link to this row", "本行链接"),
    "row": ("Row", "行"),
    "name": ("Name", "名称"),
    "figure": ("Figure", "数字"),
    "stated": ("As stated", "原文写法"),
    "normalised": ("Normalised", "换算值"),
    "details": ("Details", "详情"),
    "quote": ("Quote", "引文"),
    "source": ("Source", "来源"),
    "note": ("Note", "备注"),
    "download_text": ("Download the text", "下载原文"),
    "quote_in_text": ("The quote in the source text", "引文在原文中的位置"),
    "built": ("built", "生成于"),
    "valid": ("validation passed", "校验通过"),
    "invalid": ("validation FAILED", "校验未通过"),
    "no_js": ("Sorting and filtering need JavaScript. The rows are in the CSV and Parquet files linked above.",
              "排序和筛选需要 JavaScript。数据行见上方链接的 CSV 和 Parquet 文件。"),
    # messages the script writes; {n}-style slots are filled in there
    "status_rows": ("Showing rows {start}–{end} of {matching} matching ({total} in the table).",
                    "显示第 {start}–{end} 行，共 {matching} 行符合（表中共 {total} 行）。"),
    "status_none": ("No rows match ({total} in the table).", "没有符合的行（表中共 {total} 行）。"),
    "page_info": ("Page {page} of {pages}", "第 {page} / {pages} 页"),
    "trace": ("Trace", "溯源"),
    "trace_label": ("Trace {key} to its source", "追溯 {key} 的来源"),
    "text_loading": ("Loading the source text…", "正在加载原文…"),
    "text_failed": ("The source text could not be loaded.", "无法加载原文。"),
    "text_highlighted": ("Highlighted at line {line} of the text.", "已在原文第 {line} 行标出。"),
    "text_missing": ("The quote was not found in this text: the package does not validate (run jiutai-data validate).",
                     "原文中找不到这段引文：数据包未通过校验（请运行 jiutai-data validate）。"),
    "rows_missing": ("The rows could not be loaded (data/{table}.js is missing).", "无法加载数据行（缺少 data/{table}.js）。"),
    "charts_lead": ("Drawn when the site was built, from the indicators table; every bar and point links to its row "
                    "there, with its quote. A chart never sets unlike figures side by side: one measure, one unit and "
                    "one kind of period (full years with full years, Jan–Sep with Jan–Sep) each.",
                    "图表在生成网站时依据指标表绘制，每个条形和点都链接到指标表中的对应行及其引文。同一图表只比较同类数字："
                    "同一种数字类型、同一单位、同一种时期（全年与全年、1–9月与1–9月）。"),
    "no_charts": ("No charts: the package has no indicators to draw.", "没有图表：数据包中没有可绘制的指标。"),
    "headline_lead": ("The main indicators, those reported with their growth, by period: for each, its level and its "
                      "year-on-year change, as the source states them; one column per period, the latest first, so "
                      "that a column compares like with like. Each figure links to its row and quote.",
                      "主要指标（报告了增速的指标）按时期排列：每个指标的总量和同比增速，按原文写法；每列一个时期，"
                      "最新的在前，同列数字可直接比较。每个数字都链接到对应的数据行和引文。"),
    "no_headline": ("No headline figures: no indicator is reported with a year-on-year change.",
                    "没有主要指标：没有指标报告同比增速。"),
    "indicator_column": ("Indicator", "指标"),
    "validation": ("Validation", "校验"),
    "sources": ("Sources", "来源"),
    "tables": ("Tables", "数据表"),
    "downloads": ("Downloads", "下载"),
    "recipes": ("Read a CSV file with its types", "按类型读取 CSV 文件"),
    "licence": ("Licence and citation", "许可与引用"),
    "measure_column": ("Measure", "数字类型"),
    "period": ("period", "时期"),
    "one_day": ("on {day} (one day)", "{day}（时点）"),
    "not_stated": ("not stated", "未说明"),
}

# Chinese titles of the columns the schemas share; a schema's own title_zh comes first.
COLUMN_TITLES_ZH = {
    "id": "编号", "code": "代码", "name_zh": "中文名称", "name_en": "英文名称", "title_zh": "中文标题",
    "title_en": "英文标题", "topic": "主题", "unit": "基本单位", "kind": "类别", "part_of": "所属", "definition": "定义",
    "source_id": "来源", "region_id": "地区", "level": "级别", "status": "状态", "quote": "引文", "note": "备注",
    "indicator": "指标代码", "measure": "数字类型", "period_start": "起始日期", "period_end": "截止日期", "value": "数值",
    "value_as_stated": "原文数字", "unit_as_stated": "原文单位", "qualifier": "限定", "value_high": "上限",
    "value_high_as_stated": "原文上限", "direction_as_stated": "原文方向词", "share_of": "占比的整体",
    "compared_with_region_id": "比较地区", "compared_with_period_start": "比较期起", "compared_with_period_end": "比较期止",
    "description": "说明", "year": "年份", "publisher_zh": "发布者（中文）", "publisher_en": "发布者（英文）",
    "published": "发布时间", "url": "网址", "author": "作者", "path": "路径", "factor": "换算系数", "reason": "原因",
    "figure": "数字（含义）", "period": "时期", "horizon": "期限", "parent_id": "上级",
}

ENUM_LABELS: dict[str, tuple[str, str]] = {
    **{measure: (en, zh) for measure, (zh, en) in MEASURE_NAMES.items()},
    "actual": ("actual", "实际"), "estimate": ("estimate", "预计"), "target": ("target", "目标"),
    "exact": ("exact", "精确"), "more_than": ("more than", "超过"), "at_least": ("at least", "不少于"),
    "at_most": ("at most", "不超过"), "less_than": ("less than", "不足"), "approximately": ("approximately", "约"),
    "range": ("range", "区间"), "flow": ("flow", "流量"), "stock": ("stock", "存量"),
}

_WORDS = {"id": "ID", "cny": "CNY", "url": "URL", "sha256": "SHA-256", "zh": "(Chinese)", "en": "(English)"}


def text(key: str) -> tuple[str, str]:
    return TEXTS[key]


def words(name: str) -> str:
    """A name read as words: value_high_as_stated → Value high, as stated; source_id → Source ID."""
    name = name.replace("_as_stated", ", as stated")
    parts = [_WORDS.get(part, part) for part in name.split("_")]
    said = " ".join(parts).replace(" ,", ",")
    return said[:1].upper() + said[1:]


def column_title(field: Field) -> tuple[str, str]:
    """(English, Chinese) title of a column, from its schema (see the module's docstring)."""
    english = field.title or words(field.name)
    return english, field.spec.get("title_zh") or COLUMN_TITLES_ZH.get(field.name, english)


def enum_labels(values: list[str] | None) -> dict[str, tuple[str, str]] | None:
    if not values:
        return None
    return {value: ENUM_LABELS.get(value, (words(value).lower() if "_" in value else value,) * 2) for value in values}


def interface_script(registry: str) -> bytes:
    """data/interface.js: every interface text in both languages, for the script (``registry`` is payload.REGISTRY)."""
    body = json.dumps({key: list(pair) for key, pair in TEXTS.items()}, ensure_ascii=False, separators=(",", ":"))
    return f"{registry}.interface = {body};\n".encode("utf-8")
