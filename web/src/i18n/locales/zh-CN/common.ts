import { errorTexts } from "../../../../../shared/error-messages.js";
import type { ErrorCode } from "../../../../../shared/errors.js";
import type { Role } from "../../../../../shared/roles.js";

/**
 * Texts shared by the desktop app and the phone page. zh-CN is the reference: the English
 * file is typed against it, so a missing key is a compile error, not a blank label.
 */
export const common = {
  app: { name: "暖线 Warmline", tagline: "街面巡查与救助调度" },
  language: { label: "语言", zh: "中文", en: "English" },
  theme: { label: "显示主题", auto: "跟随设备", light: "日间", dark: "夜间" },
  login: {
    title: "登录",
    username: "用户名",
    password: "密码",
    submit: "登录",
    submitting: "正在登录…",
    usernameRequired: "请输入用户名",
    passwordRequired: "请输入密码",
    demoHint: "演示账号：operator、patrol1、head、supervisor、admin，密码 demo",
  },
  roles: {
    operator: "接线员/调度员",
    patrol: "巡查救助组",
    head: "救助站站长",
    supervisor: "民政主管部门",
    admin: "系统管理员",
  } satisfies Record<Role, string>,
  stream: {
    connected: "实时在线",
    reconnecting: "正在重连",
    offline: "离线",
    title: "实时事件连接",
  },
  scope: { allStations: "全部救助站", noStation: "未分配救助站" },
  actions: { logout: "退出登录", retry: "重试", reload: "刷新" },
  loading: "加载中…",
  // One table for desk and phone: shared/error-messages.ts.
  errors: errorTexts("zh-CN"),
  errorsNext: errorTexts("zh-CN", "next"),
};

/** Same keys, any strings: what every other language must provide. */
export type CommonTexts = typeof common;
