"""Every fixed wording of the questionnaire and its error messages, in Chinese and English."""

from __future__ import annotations

from smesdk.text import Labels

_LABELS: dict[str, tuple[str, str]] = {
    # sheets
    "sheet.instructions": ("说明", "Instructions"),
    # columns of a dimension sheet
    "col.id": ("编号", "Id"),
    "col.title": ("指标", "Indicator"),
    "col.question": ("问题", "Question"),
    "col.answer": ("答案", "Answer"),
    "col.na": ("不适用", "N/A"),
    "col.reason": ("不适用原因", "N/A reason"),
    "col.ev_description": ("证据说明", "Evidence"),
    "col.ev_reference": ("证据编号/出处", "Evidence reference"),
    "col.ev_expires": ("证据有效期至", "Evidence expires"),
    "col.hint": ("填写方式", "How to answer"),
    "col.clause": ("依据条款", "Source clause"),
    # enterprise fields
    "ent.header": ("企业信息（必填：名称、规模、评估日期）",
                   "Enterprise (required: name, size, assessment date)"),
    "ent.name": ("企业名称", "Enterprise name"),
    "ent.size": ("企业规模", "Size"),
    "ent.industry": ("行业类别（1–39）", "Industry category (1–39)"),
    "ent.region": ("所在地区", "Region"),
    "ent.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "ent.date": ("评估日期", "Assessment date"),
    "ent.assessor": ("评估人", "Assessor"),
    "ent.type": ("企业类型（可选，如 zjtx）", "Enterprise type (optional, e.g. zjtx)"),
    "ent.size.hint": ("从下拉列表选择：微型 / 小型 / 中型", "Pick from the list: micro / small / medium"),
    "ent.industry.hint": ("认证行业类别编号，如 18", "Certification industry category number, e.g. 18"),
    "ent.date.hint": ("格式 YYYY-MM-DD", "Format YYYY-MM-DD"),
    "size.micro": ("微型", "micro"),
    "size.small": ("小型", "small"),
    "size.medium": ("中型", "medium"),
    # instructions
    "title": ("企业自评问卷", "Self-assessment questionnaire"),
    "framework": ("评估框架", "Framework"),
    "profile": ("配置", "Profile"),
    "source": ("依据文件", "Source document"),
    "how.header": ("填写说明", "How to fill in this form"),
    "how.1": ("每个维度一个工作表；每行一个问题。只在白色单元格中填写：答案、不适用、原因和证据列。",
              "One sheet per dimension, one question per row. Fill in only the white cells: the answer, "
              "N/A, reason and evidence columns."),
    "how.2": ("「填写方式」列说明每个答案的格式；有下拉箭头的单元格请从列表中选择。",
              "The 'How to answer' column says what each answer looks like; where a cell has a "
              "drop-down arrow, pick from the list."),
    "how.3": ("多选题在答案单元格中用分号（;）分隔所选项，例如「ERP; CRM」；一项都不选时填「{none}」。",
              "For multiple-choice questions list the ticked options separated by semicolons (;), "
              "e.g. 'ERP; CRM'; if none applies, write '{none}'."),
    "how.4": ("百分比请填百分数本身（如 12.5 表示 12.5%），不要把单元格设为百分比格式。",
              "Enter percentages as the number of per cent (12.5 means 12.5 %); do not format the "
              "cell as a percentage."),
    "how.5": ("不适用：仅在允许的问题（该列为白色）中，在「不适用」列选择「{na}」"
              "并在「不适用原因」列写明原因；此时答案留空。",
              "N/A: only where allowed (the N/A cell is white), pick '{na}' in the N/A column and give "
              "the reason in the next column; leave the answer empty."),
    "how.6": ("证据：可填写证据说明、编号或出处及有效期；证据有效期早于评估日期时，该答案按最低答案计分。",
              "Evidence: describe it, give its number or where it is kept, and its expiry date; "
              "evidence that expired before the assessment date scores the answer as the lowest one."),
    "how.7": ("工作表已保护（无密码），以防误改题目。请勿插入、删除或移动行和工作表：读取时会逐一报错。",
              "Sheets are protected (without a password) so that questions are not changed by "
              "mistake. Do not insert, delete or move rows or sheets: reading the form reports each "
              "such change."),
    "how.8": ("填好后运行：smesdk assess {framework} 本文件.xlsx",
              "When done, run: smesdk assess {framework} this-file.xlsx"),
    # hints per kind
    "hint.choice": ("从下拉列表选择一项", "Pick one from the list"),
    "hint.yesno": ("是 / 否", "yes / no"),
    "hint.scale": ("选择一个等级：", "Pick a level:"),
    "hint.multi": ("可多选，用 ; 分隔：", "Tick any, separated by ';':"),
    "hint.multi_none": ("一项都不选填「{none}」", "none of them: '{none}'"),
    "hint.exclusive": ("（只能单独选）", " (only on its own)"),
    "hint.number": ("数值", "A number"),
    "hint.percent": ("百分数（0–100，不是 0–1）", "Per cent (0–100, not 0–1)"),
    "hint.range": ("范围 {lo}–{hi}", "range {lo}–{hi}"),
    "hint.unit": ("单位：{unit}", "unit: {unit}"),
    "hint.date": ("日期 YYYY-MM-DD", "A date YYYY-MM-DD"),
    "hint.text": ("文字", "Text"),
    "hint.grid": ("在下方表格的每一格中从下拉列表选择：",
                  "Pick from the list in every cell of the grid below:"),
    "err.cell_missing": ("表格中此格未填", "this cell of the grid is empty"),
    "hint.other": ("按「{kind}」格式填写", "An answer of kind '{kind}'"),
    "hint.optional": ("（选答）", " (optional)"),
    "hint.fact": ("共享事实 {fact}", "shared fact {fact}"),
    "multi.none": ("（均无）", "(none)"),
    "na.mark": ("不适用", "N/A"),
    "validation.title": ("输入无效", "Invalid entry"),
    "validation.list": ("请从下拉列表中选择。", "Pick a value from the list."),
    "validation.number": ("请输入 {lo} 到 {hi} 之间的数。", "Enter a number from {lo} to {hi}."),
    "validation.date": ("请输入日期，格式 YYYY-MM-DD。", "Enter a date as YYYY-MM-DD."),
    # reading errors
    "err.not_form": ("不是 smesdk 问卷（缺少隐藏的 {sheet} 工作表）",
                     "not an smesdk questionnaire (the hidden {sheet} sheet is missing)"),
    "err.old_format": ("此问卷由其他版本的 smesdk 生成（格式 {got}，需要 {want}）：请重新生成问卷并誊写答案",
                       "this form was written by another smesdk version (format {got}, this one "
                       "reads {want}): write a new form and copy the answers over"),
    "err.bad_meta": ("问卷的隐藏信息 {key} 缺失或无效",
                     "the form's hidden field {key} is missing or invalid"),
    "err.foreign": ("此问卷为框架 {got} 编写，不是 {want}", "this form was written for {got}, not {want}"),
    "err.foreign_hash": ("此问卷与 {want} 的内容不一致（框架已更新或配置不同），请重新生成问卷",
                         "this form does not match the content of {want} (the framework changed or "
                         "another profile); write a new form"),
    "err.missing_sheet": ("缺少工作表「{sheet}」", "sheet '{sheet}' is missing"),
    "err.extra_sheet": ("工作表「{sheet}」不属于问卷，其内容不会被读取",
                        "sheet '{sheet}' is not part of the form; its contents are not read"),
    "err.formula": ("单元格含公式 {formula}，问卷不计算公式，请填写值",
                    "the cell holds the formula {formula}; forms are never calculated, enter the value"),
    "err.error_value": ("单元格含错误值 {value}", "the cell holds the error value {value}"),
    "err.not_read": ("此处的内容 {value} 不会被读取（只在答案、不适用、原因和证据列中填写）",
                     "{value} is in a cell that is not read (fill in only the answer, N/A, reason and "
                     "evidence columns)"),
    "err.changed": ("问卷内容被修改：应为 {want}，现为 {got}（行被插入、删除或移动？）",
                    "the form's own text was changed: expected {want}, found {got} (rows inserted, "
                    "deleted or moved?)"),
    "err.not_one_of": ("{got} 不是 {options} 之一", "{got} is not one of {options}"),
    "err.not_among": ("{got} 不在可选项 {options} 中", "{got} is not among {options}"),
    "err.twice": ("{got} 选了两次", "{got} is ticked twice"),
    "err.exclusive": ("{got} 只能单独选择", "{got} excludes every other option"),
    "err.number": ("{got} 不是数", "{got} is not a number"),
    "err.percent_format": ("单元格为百分比格式（{got} 即 {pct}%），请直接填写百分数，如 {pct}",
                           "the cell is formatted as a percentage ({got} is {pct} %); enter the number "
                           "of per cent, e.g. {pct}"),
    "err.level": ("{got} 不是等级 {options} 之一", "{got} is not one of the levels {options}"),
    "err.date": ("{got} 不是日期（YYYY-MM-DD）", "{got} is not a date (YYYY-MM-DD)"),
    "err.text": ("{got} 不是文字", "{got} is not text"),
    "err.invalid": ("答案无效：{msg}", "{msg}"),
    "err.na_value": ("「不适用」列只能填 {na} 或留空，现为 {got}",
                     "the N/A column takes {na} or nothing, got {got}"),
    "err.na_not_allowed": ("此问题不允许填「不适用」", "N/A is not allowed for this question"),
    "err.na_no_reason": ("填了「不适用」但未写原因（{cell}）", "N/A needs a reason (in {cell})"),
    "err.na_and_answer": ("既填了答案又选了「不适用」", "both an answer and N/A are given"),
    "err.reason_without_na": ("写了不适用原因，但未选「不适用」（{cell}）",
                              "a reason is given but N/A is not marked (in {cell})"),
    "err.evidence_without_answer": ("填了证据但没有答案（{cell}）",
                                    "evidence is given but no answer (in {cell})"),
    "err.required": ("必答题未作答", "required answer missing"),
    "err.enterprise_missing": ("必填：{field}", "required: {field}"),
    "err.size": ("{got} 不是 微型/小型/中型 之一", "{got} is not one of micro/small/medium"),
    "err.unfilled": ("问卷未填写任何答案", "no answers filled in"),
    "err.too_big": ("文件 {size} 字节，超出 {limit} 字节的上限",
                    "file is {size} bytes, over the {limit}-byte limit"),
    "err.not_xlsx": ("无法作为 .xlsx 工作簿读取：{msg}", "cannot be read as an .xlsx workbook: {msg}"),
}


label = Labels(_LABELS)
text = label.text


def all_langs(key: str) -> set[str]:
    """Both wordings of a label, for reading either back."""
    return set(_LABELS[key])
