import type { ErrorCode } from "./error-codes.js";

/**
 * What every error code means to a person, in each language, and what to do next: the one table
 * the desk and the phone both show (through web/src/i18n/locales/<lang>/common.ts, which take
 * their `errors` and `errorsNext` from here). The server's own message is English for logs and
 * tests and is never shown as the headline. Zod-free, so the phone bundle can import it.
 */
type ErrorKey = ErrorCode | "NETWORK" | "UNKNOWN";
type ErrorLang = "zh-CN" | "en";
interface ErrorText {
  /** What happened. */
  text: string;
  /** What to do next. */
  next: string;
}

const ERROR_MESSAGES: Readonly<Record<ErrorKey, Readonly<Record<ErrorLang, ErrorText>>>> = {
  VALIDATION_FAILED: {
    "zh-CN": { text: "填写的内容有误，请检查标出的字段", next: "改正标出的字段后再提交。" },
    en: {
      text: "Some fields are not valid; check the marked fields",
      next: "Correct the marked fields and submit again.",
    },
  },
  MALFORMED_JSON: {
    "zh-CN": { text: "请求格式错误", next: "刷新页面后重试；仍不行请联系管理员。" },
    en: {
      text: "The request was malformed",
      next: "Reload the page and retry; if it persists, tell the administrator.",
    },
  },
  UNAUTHENTICATED: {
    "zh-CN": { text: "登录已失效，请重新登录", next: "重新登录；未发送的记录会保留。" },
    en: { text: "Your session has ended; please sign in again", next: "Sign in again; unsent records are kept." },
  },
  INVALID_CREDENTIALS: {
    "zh-CN": { text: "用户名或密码错误", next: "检查用户名和密码；忘记密码请找站长重置。" },
    en: { text: "Wrong username or password", next: "Check both; ask the station head to reset a forgotten password." },
  },
  RATE_LIMITED: {
    "zh-CN": { text: "尝试次数过多，请稍后再试", next: "等一分钟再试。" },
    en: { text: "Too many attempts; try again later", next: "Wait a minute and try again." },
  },
  FORBIDDEN: {
    "zh-CN": { text: "当前角色或救助站无权执行此操作", next: "请联系值班室或站长处理。" },
    en: { text: "Your role or station may not do this", next: "Ask the duty room or the station head to do it." },
  },
  CROSS_ORIGIN: {
    "zh-CN": { text: "请求来源不被允许", next: "请从本系统的网址打开页面。" },
    en: { text: "Request origin not allowed", next: "Open the page from this system's own address." },
  },
  NOT_FOUND: {
    "zh-CN": { text: "未找到该记录", next: "刷新页面；记录可能已被删除或转走。" },
    en: { text: "Record not found", next: "Reload; the record may have been removed or moved." },
  },
  CONFLICT: {
    "zh-CN": { text: "与已有记录冲突", next: "刷新后查看已有记录。" },
    en: { text: "Conflicts with an existing record", next: "Reload and look at the existing record." },
  },
  CONSENT_REQUIRED: {
    "zh-CN": { text: "尚未登记本人同意，不能保存照片", next: "先登记谁在何时同意拍照，再上传照片。" },
    en: {
      text: "No consent is recorded, so no photo can be kept",
      next: "Record who consented and when, then upload the photo.",
    },
  },
  VERSION_CONFLICT: {
    "zh-CN": { text: "该记录已被他人修改，请刷新后重试", next: "刷新后看最新状态，再决定是否重做。" },
    en: {
      text: "Someone else changed this record; reload and try again",
      next: "Reload, check the latest state, then redo if needed.",
    },
  },
  INVALID_TRANSITION: {
    "zh-CN": { text: "当前状态下不能执行此操作", next: "任务可能已被值班室取消或改派，请联系值班室。" },
    en: {
      text: "Not possible in the current status",
      next: "The duty room may have cancelled or reassigned it; call the duty room.",
    },
  },
  INSUFFICIENT_STOCK: {
    "zh-CN": { text: "库存不足", next: "减少数量，或先补充库存。" },
    en: { text: "Not enough stock", next: "Lower the quantity or restock first." },
  },
  PAYLOAD_TOO_LARGE: {
    "zh-CN": { text: "提交的内容过大", next: "缩短内容或分批提交。" },
    en: { text: "What you sent is too large", next: "Shorten it or send it in parts." },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    "zh-CN": { text: "提交的数据格式不被服务器接受", next: "刷新页面后重试。" },
    en: { text: "The app sent data in a form the server does not accept", next: "Reload the page and retry." },
  },
  IDEMPOTENCY_MISMATCH: {
    "zh-CN": { text: "该记录已用不同的内容保存过", next: "刷新后查看已保存的内容。" },
    en: { text: "This record was already saved with different content", next: "Reload and look at what was saved." },
  },
  IMPORT_INVALID: {
    "zh-CN": { text: "文件有错误，未导入任何内容", next: "按列出的行改正文件后重新导入。" },
    en: { text: "The file has problems; nothing was imported", next: "Fix the listed rows and import again." },
  },
  DATABASE_UNAVAILABLE: {
    "zh-CN": { text: "数据库暂时无法访问", next: "几秒后重试；手机上的记录已保留，会自动重新发送。" },
    en: {
      text: "The database is not reachable right now",
      next: "Retry in a few seconds; records on the phone are kept and sent again.",
    },
  },
  NOT_READY: {
    "zh-CN": { text: "服务器正在启动或升级", next: "稍后重试。" },
    en: { text: "The server is starting or being upgraded", next: "Try again shortly." },
  },
  INTERNAL: {
    "zh-CN": { text: "服务器内部错误，请稍后重试", next: "稍后重试；仍不行请把请求编号告诉管理员。" },
    en: {
      text: "Server error; please try again later",
      next: "Retry later; if it persists, quote the request id to the administrator.",
    },
  },
  NETWORK: {
    "zh-CN": { text: "网络不可用，请检查信号后重试", next: "记录已保存在手机上，有信号后自动发送。" },
    en: {
      text: "No network; check the signal and try again",
      next: "Records are kept on the phone and sent when the signal returns.",
    },
  },
  UNKNOWN: {
    "zh-CN": { text: "发生未知错误", next: "刷新页面后重试。" },
    en: { text: "Something went wrong", next: "Reload the page and retry." },
  },
};

/** Every key's text (`part` "text") or next step (`part` "next") in `lang`, for the locale files. */
export function errorTexts(lang: ErrorLang, part: keyof ErrorText = "text"): Record<ErrorKey, string> {
  return Object.fromEntries(Object.entries(ERROR_MESSAGES).map(([k, v]) => [k, v[lang][part]])) as Record<
    ErrorKey,
    string
  >;
}

/** The key for a code as received (a code newer than this build reads as INTERNAL). */
export function errorKey(code: string | undefined): ErrorKey {
  if (!code) return "UNKNOWN";
  return Object.hasOwn(ERROR_MESSAGES, code) ? (code as ErrorKey) : "INTERNAL";
}
