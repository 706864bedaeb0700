import type { ErrorCode } from "../../../../../shared/errors.js";
import type { Role } from "../../../../../shared/roles.js";

/**
 * Texts shared by the desktop app and the phone page. zh-CN is the reference: the English
 * file is typed against it, so a missing key is a compile error, not a blank label.
 */
export const common = {
  app: { name: "暖线 Warmline", tagline: "街面巡查与救助调度" },
  language: { label: "语言", zh: "中文", en: "English" },
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
  errors: {
    VALIDATION_FAILED: "填写的内容有误，请检查标出的字段",
    MALFORMED_JSON: "请求格式错误",
    UNAUTHENTICATED: "登录已失效，请重新登录",
    INVALID_CREDENTIALS: "用户名或密码错误",
    RATE_LIMITED: "尝试次数过多，请稍后再试",
    FORBIDDEN: "当前角色或救助站无权执行此操作",
    CROSS_ORIGIN: "请求来源不被允许",
    NOT_FOUND: "未找到该记录",
    CONFLICT: "与已有记录冲突",
    VERSION_CONFLICT: "该记录已被他人修改，请刷新后重试",
    INVALID_TRANSITION: "当前状态下不能执行此操作",
    INSUFFICIENT_STOCK: "库存不足",
    PAYLOAD_TOO_LARGE: "提交的内容过大",
    UNSUPPORTED_MEDIA_TYPE: "提交的数据格式不被服务器接受",
    IDEMPOTENCY_MISMATCH: "该记录已用不同的内容保存过",
    IMPORT_INVALID: "文件有错误，未导入任何内容",
    DATABASE_UNAVAILABLE: "数据库暂时无法访问，请几秒后重试",
    NOT_READY: "服务器正在启动或升级，请稍后重试",
    INTERNAL: "服务器内部错误，请稍后重试",
    NETWORK: "网络不可用，请检查信号后重试",
    UNKNOWN: "发生未知错误",
  } satisfies Record<ErrorCode | "NETWORK" | "UNKNOWN", string>,
};

/** Same keys, any strings: what every other language must provide. */
export type CommonTexts = typeof common;
