/** Texts of the desktop app (duty room, station, admin). */
export const desk = {
  nav: {
    duty: "值班室",
    patrol: "巡查（手机端）",
    station: "救助站",
    admin: "系统管理",
  },
  header: { station: "所属", role: "角色" },
  station: {
    col: {
      code: "代码", name: "名称", region: "所属区域", address: "地址",
      hotline: "求助热线", beds: "床位", position: "位置",
    },
  },
  admin: {
    vehicles: {
      title: "车辆", add: "新增车辆", addTitle: "新增车辆", editTitle: "修改车辆", edit: "修改", save: "保存", cancel: "取消", saved: "已保存",
      search: "搜索呼号或车牌", total: "共 {{n}} 辆", allStations: "全部救助站", allStatuses: "全部状态",
      callSign: "呼号", plate: "车牌", station: "所属救助站", seats: "座位数（含司机）", status: "状态", required: "必填",
      callSignHint: "全市唯一，如 DL-03", setStatus: "改为", statusChanged: "{{callSign}} 已改为 {{status}}",
      statusHint: "只列出状态机允许的改动；调派、出发、到达由任务流转完成",
    },
    keypoints: {
      title: "重点点位", add: "新增点位", addTitle: "新增重点点位", editTitle: "修改重点点位", edit: "修改", save: "保存", cancel: "取消", saved: "已保存",
      search: "搜索名称或地址", total: "共 {{n}} 个", allStations: "全部救助站", showInactive: "显示已停用",
      name: "名称", kind: "类型", station: "所属救助站", address: "地址/方位", notes: "巡查备注", lat: "纬度（WGS-84）", lng: "经度（WGS-84）",
      lastVisit: "最近巡查", never: "从未", active: "在巡查范围", inactive: "已停用", deactivate: "停用", reactivate: "恢复",
      deactivated: "已停用：{{name}}", reactivated: "已恢复：{{name}}", required: "必填", mapHint: "在地图上点击即可定位，也可直接填写经纬度",
      deactivateConfirm: "停用后该点位不再出现在到期巡查清单和地图上，已记录的巡查仍计入统计。确定停用？",
      namePh: "如 新华桥桥洞",
      kinds: {
        bridge_underpass: "桥洞", culvert: "涵洞", railway_station: "火车站", bus_station: "汽车站", square: "广场", park: "公园",
        underpass: "地下通道", abandoned_building: "废弃建筑", construction_site: "建筑工地", other: "其他",
      },
    },
    users: {
      title: "用户", add: "新增用户", addTitle: "新增用户", editTitle: "修改用户", edit: "修改", save: "保存", cancel: "取消", saved: "已保存",
      search: "搜索用户名或姓名", total: "共 {{n}} 人", allRoles: "全部角色",
      username: "用户名", displayName: "姓名（显示名）", role: "角色", station: "所属救助站", region: "负责区域", scope: "范围", createdAt: "创建时间",
      active: "启用", inactive: "已停用", deactivate: "停用账号", reactivate: "启用账号", deactivated: "已停用：{{name}}", reactivated: "已启用：{{name}}",
      deactivateConfirm: "停用后该账号不能登录，已登录的会话立即失效。确定停用？",
      password: "初始密码", newPassword: "新密码", passwordHint: "至少 {{n}} 个字符", resetPassword: "重置密码", resetTitle: "重置 {{name}} 的密码",
      resetDone: "已重置 {{name}} 的密码，其已登录的会话均已退出", required: "必填",
      usernameHint: "小写字母、数字、.、_、-；创建后不能修改", scopeHint: "接线员、巡查组、站长属于一个救助站；民政主管部门负责一个区域；管理员不限",
      sessionsEnded: "角色、范围或启用状态已改变：该用户需重新登录",
    },
    regions: {
      title: "行政区划", addTop: "新增顶级区划", addChild: "新增下级", rename: "改名", move: "移动",
      name: "名称", level: "级别", parent: "上级区划", top: "（顶级）", save: "保存", cancel: "取消", saved: "区划已保存",
      addTitle: "新增区划", renameTitle: "区划改名", moveTitle: "移动区划", required: "必填",
      moveHint: "区划连同其下所有区划一起移动：站点和督导的范围随之变化。",
    },
    imports: {
      title: "从表格导入", kind: "类别", template: "下载模板", file: "选择 CSV 或 Excel 文件",
      preview: "检查文件", commit: "导入", rows: "共 {{n}} 行：新增 {{created}}，未变 {{unchanged}}",
      problems: "{{n}} 处错误：修正文件前不会导入任何内容", row: "行", field: "列", message: "问题",
      done: "已导入：新增 {{created}}，未变 {{unchanged}}", importing: "正在导入 {{n}} 行…",
      kinds: { keypoints: "重点点位", vehicles: "车辆", supplies: "物资目录" },
    },
    catalog: {
      title: "物资目录", add: "新增物资", addTitle: "新增物资", editTitle: "修改物资", edit: "修改", save: "保存", cancel: "取消", saved: "已保存",
      code: "编码", nameZh: "中文名称", nameEn: "英文名称", unitZh: "中文单位", unitEn: "英文单位", unit: "单位", unitValue: "单价（元）",
      lowStockThreshold: "库存预警值", active: "可发放", inactive: "停用", search: "搜索编码或名称", required: "必填",
      codeHint: "小写字母、数字、- 和 _；创建后不能修改", valueHint: "修改单价只影响今后的出入库，历史记录保留当时单价", total: "共 {{n}} 项",
    },
    title: "系统管理",
    stationsTitle: "救助站",
    create: "新建救助站",
    createTitle: "新建救助站",
    created: "已创建救助站 {{name}}",
    submit: "创建",
    cancel: "取消",
    field: {
      code: "代码", name: "名称", regionId: "所属区域", lat: "纬度（WGS-84）", lng: "经度（WGS-84）",
      address: "地址", hotline: "求助热线", beds: "床位数",
    },
    placeholder: { code: "如 DL", name: "如 道里区救助管理站", regionId: "选择区域" },
    required: "必填",
    level: { province: "省", city: "市", district: "区县", street: "街道乡镇", community: "社区村" },
  },
  forbidden: { title: "无权访问", body: "此页面仅对管理员开放。" },
  notFound: { title: "页面不存在", back: "返回首页" },
};

export type DeskTexts = typeof desk;
