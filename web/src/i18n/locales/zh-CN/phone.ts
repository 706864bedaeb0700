/** Texts of the patrol phone page: short, readable at arm's length in the cold. */
export const phone = {
  title: "巡查",
  queued: "待发送 {{count}} 条",
  task: {
    title: "当前任务",
    none: "暂无任务",
    hint: "调度员派单后，任务会显示在这里。",
  },
  station: "救助站",
  openDesk: "打开电脑版",
};

export type PhoneTexts = typeof phone;
