/**
 * Texts of the duty room (web/src/desk/duty, web/src/map). A separate resource file so the duty
 * room's many keys do not crowd desk.ts; the en file must have the same shape (typed below).
 */
export const dutyroom = {
  title: "值班室",
  intake: {
    title: "接报登记",
    shortcuts: "快捷键：Alt+N 新接报 · Enter 提交 · Ctrl+Enter 在多行框中提交 · Alt+1…9 切换情况 · Esc 清空",
    source: "来源渠道", callerName: "来电人姓名", callerPhone: "来电号码", anonymous: "匿名可不填",
    keyPoint: "重点点位", keyPointPh: "输入点位名称选择", place: "位置描述", placePh: "地址、地标；或在地图上点击",
    position: "坐标", pickOnMap: "在地图上点击选取位置", noPosition: "尚未定位",
    peopleCount: "人数", temperature: "气温 (°C)", description: "情况描述", notes: "备注", flags: "情况",
    submit: "登记", clear: "清空", urgencyPreview: "预计紧急程度",
    created: "已建立新案件", merged: "已并入现有案件（来电 {{count}} 次）",
    needPosition: "请先定位：选择点位或在地图上点击",
  },
  dup: {
    title: "可能是同一人（{{count}}）", none: "附近无可能重复的案件",
    distance: "{{m}} 米", minutes: "{{min}} 分钟前后", same: "同一人，并入", different: "不是同一人",
    chosenMerge: "将并入所选案件", chosenNew: "将建立新案件",
    auto: "若只有一个候选，系统会自动并入；可事后拆分",
  },
  queue: { title: "待处置队列（{{count}}）", empty: "暂无待处置案件", callers: "{{count}} 次来电", waiting: "等待" },
  urgency: { critical: "危急", high: "紧急", medium: "较急", low: "一般" },
  status: { open: "待派", dispatched: "已派车", on_scene: "已到场", closed: "已结案", merged: "已合并", cancelled: "已取消" },
  source: {
    public_hotline: "求助热线", police_110: "110 转警", city_hotline_12345: "12345 热线", ambulance_120: "120 急救",
    city_management: "城管", grid_worker: "网格员", volunteer: "志愿者", sanitation_worker: "环卫工人",
    taxi_driver: "出租车司机", patrol_found: "主动发现", walk_in: "来站求助", partner_system: "合作系统 (Open311)",
  },
  flag: {
    elderly: "老人", minor: "未成年人", injured_or_ill: "受伤/患病", mental_health_crisis: "疑似精神危机",
    intoxicated: "醉酒", pregnant: "孕妇", disabled: "残疾", inadequate_clothing: "衣着单薄", not_moving: "不动/无反应",
  },
  detail: {
    title: "案件详情", calls: "来电记录（{{count}}）", caller: "来电人", anonymous: "匿名", hidden: "（无权查看）",
    received: "接报", place: "位置", people: "人数", flags: "情况", temp: "气温", notes: "备注", reason: "依据",
    overridden: "人工调整：{{reason}}（规则：{{computed}}）", override: "调整紧急程度", overrideReason: "调整原因",
    save: "保存", unmerge: "拆分为单独案件", unmerged: "已拆分", mergeTitle: "并入其他案件", mergeInto: "选择目标案件",
    mergeDo: "并入", mergedOk: "已合并", fromPartner: "合作系统",
    intake: { created: "新建", merged_by_rule: "规则自动并入", merged_by_operator: "接线员并入" },
    dispatch: "派车", dispatchPending: "派车面板由调度模块提供（web/src/desk/dispatch/DispatchPanel.tsx 尚未就绪）",
  },
  map: {
    noTiles: "未配置地图底图：显示纯色背景，标记位置仍然准确",
    tilesDown: "无法加载地图底图：显示纯色背景，标记位置仍然准确",
    cases: "案件", vehicles: "车辆", keyPoints: "重点点位", stations: "救助站", shelters: "避寒场所",
    free: "空余 {{n}}", beds: "床位 {{n}}", lastVisit: "上次巡查：{{t}}", never: "从未巡查",
    due: { ok: "按时", due: "即将到期", overdue: "已超时" },
    cluster: "{{count}} 个案件", pick: "已选位置", stationShort: "站", shelterShort: "暖",
  },
  vehicleStatus: {
    off_duty: "未出勤", available: "待命", dispatched: "已派", en_route: "途中", on_scene: "到场", transporting: "转运中", out_of_service: "停用",
  },
  resynced: "离线时间过长，数据已从服务器重新加载",
  error: "操作失败",
};

export type DutyRoomTexts = typeof dutyroom;
