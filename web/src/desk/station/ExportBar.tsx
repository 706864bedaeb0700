import { useState } from "react";
import { App, Button, Progress, Select, Space } from "antd";
import { DownloadOutlined, FileExcelOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { RECORD_EXPORTS, type RecordExport } from "../../../../shared/api/exports.js";
import { useLanguage } from "../../i18n/index.js";
import { errorText } from "../../i18n/errors.js";
import { downloadExport } from "./exportCsv.js";
import { fmt, useStationTexts } from "./texts.js";

/**
 * Export buttons: totals and outcome measures (CSV, Excel) and the records behind them, kind by kind, as CSV or Excel.
 * `query` is the page's filter (campaign, station or region, days), so files match the figures
 * on screen. Rows read are shown against X-Total-Rows while the file streams in.
 */
export function ExportBar({ query, from, to }: { query: string; from: string; to: string }) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const [lang] = useLanguage();
  const { message } = App.useApp();
  const [kind, setKind] = useState<RecordExport>("encounters");
  const [progress, setProgress] = useState<{ done: number; total: number | null } | null>(null);

  async function run(name: string, format: "csv" | "xlsx") {
    setProgress({ done: 0, total: null });
    try {
      await downloadExport(
        `/api/exports/${name}.${format}?${query}&lang=${lang}`,
        `${name}-${from}-${to}.${format}`,
        (done, total) => setProgress({ done, total }),
      );
      void message.success(t.export.done);
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setProgress(null);
    }
  }

  const busy = !!progress;
  return (
    <Space wrap data-testid="export-bar">
      <Button icon={<DownloadOutlined />} onClick={() => void run("totals", "csv")} disabled={busy}>
        {t.export.totals}
      </Button>
      <Button icon={<FileExcelOutlined />} onClick={() => void run("totals", "xlsx")} disabled={busy}>
        {t.export.totalsXlsx}
      </Button>
      <Button icon={<DownloadOutlined />} onClick={() => void run("outcomes", "csv")} disabled={busy}>
        {t.export.outcomes}
      </Button>
      <Button icon={<FileExcelOutlined />} onClick={() => void run("outcomes", "xlsx")} disabled={busy}>
        {t.export.outcomesXlsx}
      </Button>
      <span>{t.export.kind}</span>
      <Select<RecordExport>
        aria-label={t.export.kind}
        style={{ width: 210 }}
        value={kind}
        onChange={setKind}
        data-testid="export-kind"
        options={RECORD_EXPORTS.map((k) => ({ value: k, label: t.export.kinds[k] }))}
      />
      <Button
        icon={<DownloadOutlined />}
        onClick={() => void run(kind, "csv")}
        disabled={busy}
        data-testid="export-records-csv"
      >
        {t.export.records}
      </Button>
      <Button
        icon={<FileExcelOutlined />}
        onClick={() => void run(kind, "xlsx")}
        disabled={busy}
        data-testid="export-records-xlsx"
      >
        {t.export.recordsXlsx}
      </Button>
      {progress && (
        <Space data-testid="export-progress">
          <span>{fmt(t.export.progress, { done: progress.done, total: progress.total ?? "?" })}</span>
          {progress.total ? (
            <Progress
              percent={Math.min(100, Math.round((100 * progress.done) / Math.max(1, progress.total)))}
              size="small"
              style={{ width: 160 }}
            />
          ) : null}
        </Space>
      )}
    </Space>
  );
}
