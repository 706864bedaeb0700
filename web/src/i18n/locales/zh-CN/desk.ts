/** Texts of the desktop app (duty room, station, admin). */
export const desk = {
  nav: {
    duty: "值班室",
    patrol: "巡查（手机端）",
    station: "救助站",
    admin: "系统管理",
  },
  header: { station: "所属", role: "角色" },
  duty: {
    title: "值班室",
    intro: "实时事件流：服务器提交的每个事件都会即时出现在这里；断线重连后会补发错过的事件。",
    feedTitle: "最近事件（最多 {{count}} 条）",
    empty: "暂无新事件。在其他窗口中新建或修改救助站，事件会实时出现。",
    lastEventId: "最后事件编号",
    resynced: "离线时间过长，已从服务器重新加载数据",
    clear: "清空列表",
    col: { id: "编号", type: "类型", time: "时间", station: "救助站", summary: "摘要" },
    global: "全市",
  },
  station: {
    title: "救助站",
    intro: "您权限范围内的救助站。",
    col: {
      code: "代码", name: "名称", region: "所属区域", address: "地址",
      hotline: "求助热线", beds: "床位", position: "位置",
    },
  },
  admin: {
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
    level: { city: "市", district: "区县", street: "街道乡镇", community: "社区村" },
  },
  forbidden: { title: "无权访问", body: "此页面仅对管理员开放。" },
  notFound: { title: "页面不存在", back: "返回首页" },
};

export type DeskTexts = typeof desk;
