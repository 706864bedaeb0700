/** Texts of dispatch (desk panel) and the patrol phone's fleet screens. */
export const fleet = {
  vehicleStatus: {
    off_duty: "未出勤", available: "待命", dispatched: "已派车", en_route: "前往途中",
    on_scene: "到达现场", transporting: "转运中", out_of_service: "停用",
  },
  urgency: { critical: "危急", high: "紧急", medium: "一般", low: "较低" },
  taskStatus: {
    assigned: "已派单", acknowledged: "已接单", en_route: "前往途中", on_scene: "到达现场", cleared: "已完成", cancelled: "已取消",
  },
  outcome: {
    brought_in: "接回站内", street_aid: "街面救助", hospital: "先送医院", escorted_home: "护送返乡", family_pickup: "亲属接领",
    referred_police: "转介公安", referred_minors: "转介未保中心", referred_mental_health: "转介精神卫生", refused: "拒绝救助", not_found: "未发现",
  },
  flag: {
    elderly: "老人", minor: "未成年", injured_or_ill: "伤病", mental_health_crisis: "精神异常", intoxicated: "醉酒",
    pregnant: "孕妇", disabled: "残疾", inadequate_clothing: "衣着单薄", not_moving: "不动/昏迷",
  },
  dispatch: {
    title: "派车", recommended: "推荐车辆", none: "没有待命车辆", distance: "{{km}} 公里", eta: "约 {{min}} 分钟",
    noPosition: "无位置", assign: "派车", reassign: "改派", cancel: "取消任务", cancelReason: "取消原因",
    tasks: "任务记录", speed: "按城市平均 {{kmh}} 公里/小时估算", onSortie: "已出车", conflict: "该车刚被他人调派，请重新选择",
    reassignTo: "改派给", done: "已派车",
  },
  unacked: { title: "未确认任务", item: "{{callSign}} 已等待 {{min}} 分钟未接单", none: "无" },
  phone: {
    pickVehicle: "选择车辆", changeVehicle: "换车", startSortie: "出车", endSortie: "收车", crewCount: "车上人数",
    crewNames: "人员姓名（逗号分隔）", load: "装载物资", returned: "带回物资", onBoard: "车上 {{n}}", joinPatrol: "加入联合巡查",
    newPatrol: "新巡查", kind: { planned: "计划巡查", dispatched: "派单出车", proactive: "主动巡查" },
    task: "当前任务", noTask: "暂无任务", navigate: "导航", amap: "高德地图", baidu: "百度地图",
    ack: "接单", enRoute: "出发", onScene: "到达", clear: "完成", record: "记录人员", foundHere: "此处发现人员",
    keyPoint: "点位巡查", keyPointPick: "选择点位", peopleFound: "发现人数", nobody: "无人", save: "保存", back: "返回",
    found: "找到人", notFound: "未找到", identity: "身份信息（可不填）", name: "姓名", gender: "性别", male: "男", female: "女",
    unknown: "不详", age: "大约年龄", idNumber: "身份证号", hometown: "籍贯", notes: "备注", supplies: "发放物资",
    waiting: "待发送", confirmed: "已确认", rejected: "被拒绝", sending: "发送中", gps: "定位中", gpsOff: "无定位",
    place: "地点描述", people: "人员", sortieOn: "出车中 · {{callSign}}", crew: "{{n}} 人",
    vehicle: "本车", statusWaiting: "待发送", statusServer: "服务器：{{s}}",
  },
  map: {
    task: "任务", me: "我的位置", km: "{{n}} 公里", m: "{{n}} 米", distance: "直线距离 {{d}}",
    noTiles: "未配置底图：显示标记和距离", tilesDown: "底图无法加载：显示标记和距离", fit: "显示全部",
    loading: "地图加载中…", unavailable: "地图暂时无法加载（信号弱）。可用下方导航。", retry: "重试",
  },
  outbox: {
    startSortie: "出车", endSortie: "收车", status: "任务状态：{{s}}", encounter: "人员记录：{{o}}", visit: "点位巡查",
  },
};

export type FleetTexts = typeof fleet;
