/**
 * Downloads a CSV export while counting the rows read, so a long export shows progress: the server
 * sends X-Total-Rows first and then streams the file page by page.
 */
export async function downloadCsv(url: string, filename: string, onProgress: (done: number, total: number | null) => void): Promise<void> {
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const totalHeader = res.headers.get("x-total-rows");
  const total = totalHeader === null ? null : Number(totalHeader);
  const reader = res.body.getReader();
  const parts: BlobPart[] = [];
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    for (const b of value) if (b === 10) lines++;
    // The first line is the header.
    onProgress(Math.max(0, lines - 1), total);
  }
  const blob = new Blob(parts, { type: "text/csv;charset=utf-8" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
