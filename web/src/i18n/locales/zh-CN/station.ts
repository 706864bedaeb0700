/**
 * Texts of the station head's page (web/src/desk/station). The en file has the same shape (typed).
 * The report sentences follow the official phrasing of published campaign figures.
 */
export const station = {
  title: "站长工作台",
  campaign: "专项行动",
  noCampaign: "当前没有覆盖本站的专项行动",
  station: "救助站",
  allStations: "全部站点",
  region: "区域",
  range: "日期范围",
  reload: "刷新",
  tabs: { overview: "总览", report: "日报告", missing: "未报站点", people: "受助人员", supplies: "物资与床位", shelters: "避寒场所", keyPoints: "重点点位", print: "打印报告" },
  alert: {
    title: "寒潮预警等级", level: "当前等级", set: "调整等级", reason: "调整原因", reasonPh: "如：预报最低气温-30℃",
    history: "调整记录", cadence: "点位巡查每 {{kp}} 小时 · 劝返回访每 {{re}} 小时", changed: "预警等级已调整",
    campaignWide: "全市统一等级",
    levels: { blue: "蓝色", yellow: "黄色", orange: "橙色", red: "红色" },
  },
  due: {
    title: "当前待办", keyPoints: "待巡查点位", rechecks: "待回访人员", none: "暂无待办", never: "从未巡查",
    overdue: "已超时", dueSoon: "即将到期", lastVisit: "上次巡查", since: "应回访时间", unidentified: "身份不明",
  },
  figures: {
    patrols: "巡查次数", sorties: "出动车辆（台次）", staffPersonTimes: "出动人员（人次）", keyPointVisits: "巡查点位（个次）", keyPointsCovered: "巡查重点点位（个）",
    settled: "安置（人）", sheltersInService: "临时避寒场所/室外救助点（个）",
    foundPersonTimes: "发现（人次）", foundPersons: "发现（人）", aidedInStation: "站内救助（人次）", aidedOnStreet: "站外救助（人次）",
    aidedTotal: "站内外救助（人次）", hospital: "送医（人次）", escortedHome: "护送返乡（人次）", familyPickup: "亲属接领（人次）",
    escorts: "护送（接领）（人次）", referred: "转介（人次）", familiesFound: "寻亲成功（人）", suppliesQuantity: "发放物资（件）",
    suppliesValue: "物资价值（元）", responseP50: "响应时间中位数", responseP90: "响应时间90%分位", minutes: "{{n}} 分钟",
  },
  trend: { title: "每日趋势", series: "指标" },
  byStation: "分站统计",
  supplies: { title: "发放物资", item: "物资", quantity: "数量", value: "价值（元）" },
  report: {
    day: "报告日期", prefill: "当日数据（自动汇总）", remarks: "备注", remarksPh: "当日工作情况说明",
    submit: "提交日报告", submitZero: "提交零报告", zeroHint: "当日无任何救助记录，可提交零报告",
    submitted: "已提交", frozen: "报告已提交并锁定，如需更正请添加更正记录", amend: "添加更正", amendReason: "更正原因",
    amendments: "更正记录", amendedAt: "更正时间", zeroTag: "零报告", dailyTag: "日报告", done: "报告已提交", noHead: "仅站长可提交",
  },
  missing: {
    title: "未按时报告的站点", today: "今天", missingCount: "缺报天数", overdue: "最长已逾期（天）", last: "最近报告日",
    reportedToday: "今日已报", none: "所有站点均已按时报告", days: "缺报日期",
  },
  people: {
    search: "搜索姓名、身份证号、籍贯或情况", label: "人员", gender: "性别", age: "年龄", familySearch: "寻亲", encounters: "次数",
    lastSeen: "最近发现", detail: "人员档案", identity: "身份信息", name: "姓名", idNumber: "身份证号", hometown: "籍贯",
    history: "救助经过", place: "地点", outcome: "处置", duplicates: "可能重复", merge: "合并到此档案", merged: "已合并",
    stays: "在站记录", stayOpen: "在站中", noIdentity: "您的角色无权查看身份信息", readsAudited: "查看记录已留痕",
    familyStatus: { none: "未寻亲", notice_published: "已发寻亲公告", family_found: "寻亲成功" },
    genders: { male: "男", female: "女", unknown: "不详" },
  },
  outcomes: {
    brought_in: "接回站内", street_aid: "站外救助", hospital: "送医救治", escorted_home: "护送返乡", family_pickup: "亲属接领",
    referred_police: "转介公安", referred_minors: "转介未保中心", referred_mental_health: "转介精神卫生机构", refused: "拒绝救助", not_found: "未发现",
  },
  stock: {
    title: "库存", station: "站内库存", vehicles: "车载", low: "库存不足", receive: "入库", writeOff: "报损", quantity: "数量", notes: "说明",
    shelters: "床位与避寒场所", capacity: "床位", occupied: "在住", free: "空余",
    kinds: { station: "救助站", warming_shelter: "临时避寒场所", service_point: "站外救助服务点" },
  },
  stays: {
    pending: "巡查接回待登记", registerThis: "登记入站", title: "在站人员", arrive: "登记入站", bed: "床位", needs: "需求", needsPh: "如：就医、饮食、衣物（逗号分隔）", place: "安置地点",
    arrived: "入站时间", end: "离站", reason: "离站方式", voucher: "发放返乡车票", destination: "去向", none: "暂无在站人员", ownBeds: "本站床位",
    reasons: { left: "自行离站", escorted_home: "护送返乡", family_pickup: "亲属接领", hospital: "送医", care_institution: "转入福利机构", settled: "就地安置" },
  },
  export: {
    totalsXlsx: "导出统计 Excel", totals: "导出统计 CSV", records: "导出明细 CSV", recordsXlsx: "导出明细 Excel", kind: "明细类别",
    progress: "正在导出 {{done}} / {{total}} 行", done: "导出完成",
    kinds: { encounters: "救助记录（人次）", patrols: "巡查（含徒步人员）", sorties: "出车（含车组）", visits: "巡查点位", stays: "站内救助", ledger: "物资台账" },
  },
  shelters: {
    title: "临时避寒场所与站外救助服务点", add: "新增场所", edit: "修改", editTitle: "修改场所", addTitle: "新增场所", save: "保存", cancel: "取消",
    name: "名称", kind: "类型", address: "地址", lat: "纬度（WGS-84）", lng: "经度（WGS-84）", capacity: "容纳人数", occupied: "在住", free: "空余",
    occupancy: "使用情况", active: "本季开放", closed: "已关闭", open: "开放", required: "必填", search: "搜索名称或地址", all: "全部类型",
    saved: "已保存", stationBeds: "救助站床位在站点信息中维护", total: "共 {{n}} 处",
  },
  print: {
    button: "打印", daily: "日报告", campaign: "专项行动报告", period: "统计时段：{{period}}",
    heading: "{{name}}工作情况报告", stationLine: "填报单位：{{station}}", remarks: "备注：", generated: "生成时间：{{at}}",
    from: "起", to: "止", wholeCampaign: "全程", byStation: "分站情况", rollup: "合计", stationSentence: "{{station}}：",
  },
};
export type StationTexts = typeof station;
