import { ApiError } from "../../api/http.js";
import type { ErrorCode, ValidationIssue } from "../../../../shared/errors.js";

/**
 * Downloads an export while counting the rows read, so a long export shows determinate progress:
 * the server sends X-Total-Rows first and then streams the file page by page. CSV rows are
 * counted as line ends; an Excel file's sheet is the archive's first entry, deflated, so its
 * bytes are inflated on the side (DecompressionStream) and its `</row>` tags counted.
 */

/** Progress callback: rows read so far, and the total when the server said it. */
type OnProgress = (done: number, total: number | null) => void;

async function failure(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; issues?: ValidationIssue[] } } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = body?.error;
  const code = (e?.code ??
    (res.status === 403
      ? "FORBIDDEN"
      : res.status === 401
        ? "UNAUTHENTICATED"
        : res.status < 500
          ? "VALIDATION_FAILED"
          : "INTERNAL")) as ErrorCode;
  return new ApiError(res.status, code, e?.message ?? `HTTP ${res.status}`, e?.issues ?? []);
}

/** Counts CSV data rows (line ends after the header). Quoted cells with line breaks are rare in exports and only make progress run ahead. */
function csvCounter(onRows: (n: number) => void) {
  let lines = 0;
  return (chunk: Uint8Array) => {
    for (const b of chunk) if (b === 10) lines++;
    onRows(Math.max(0, lines - 1));
  };
}

/** Counts `</row>` in the deflated first zip entry as it streams; the header row is not counted. */
function xlsxCounter(onRows: (n: number) => void) {
  if (typeof DecompressionStream === "undefined") return () => {};
  const ds = new DecompressionStream("deflate-raw");
  const writer = ds.writable.getWriter();
  let header: Uint8Array | null = new Uint8Array(0);
  let rows = 0,
    tail = "";
  const decoder = new TextDecoder();
  void (async () => {
    const reader = ds.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const text = tail + decoder.decode(value, { stream: true });
      rows += text.split("</row>").length - 1;
      tail = text.slice(-5);
      onRows(Math.max(0, rows - 1));
    }
  })().catch(() => {});
  let broken = false;
  return (chunk: Uint8Array) => {
    if (broken) return;
    let data = chunk;
    if (header) {
      // Local file header: 30 bytes, then the name and the extra field; the deflated data follows.
      const h = new Uint8Array(header.length + data.length);
      h.set(header);
      h.set(data, header.length);
      if (h.length < 30) {
        header = h;
        return;
      }
      const skip = 30 + (h[26]! | (h[27]! << 8)) + (h[28]! | (h[29]! << 8));
      if (h.length < skip) {
        header = h;
        return;
      }
      header = null;
      data = h.subarray(skip);
    }
    // After the sheet, the rest of the archive is not deflate data: the inflater then errors,
    // which only ends the counting (every row has been counted by then).
    writer.write(data as Uint8Array<ArrayBuffer>).catch(() => {
      broken = true;
    });
  };
}

/** Fetches `url` and saves it as `filename`, reporting rows read. Throws ApiError on refusal. */
export async function downloadExport(url: string, filename: string, onProgress: OnProgress): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: "same-origin" });
  } catch (err) {
    throw new ApiError(0, "NETWORK", err instanceof Error ? err.message : "Network error");
  }
  if (!res.ok || !res.body) throw await failure(res);
  const totalHeader = res.headers.get("x-total-rows");
  const total = totalHeader === null ? null : Number(totalHeader);
  const excel = filename.endsWith(".xlsx");
  let shown = 0;
  const report = (n: number) => {
    if (n !== shown) {
      shown = n;
      onProgress(n, total);
    }
  };
  const count = excel ? xlsxCounter(report) : csvCounter(report);
  onProgress(0, total);
  const reader = res.body.getReader();
  const parts: BlobPart[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    count(value);
  }
  if (total !== null) onProgress(total, total);
  const blob = new Blob(parts, {
    type: excel ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv;charset=utf-8",
  });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
