import { useState } from "react";
import { Alert, App, Button, Card, Select, Space, Table, Typography } from "antd";
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type ImportOutcome, type ImportProblem } from "../../api/client.js";
import { IMPORT_KINDS, IMPORT_MAX_BYTES, type ImportKind } from "../../../../shared/api/imports.js";
import { errorDetail, errorText } from "../../i18n/errors.js";

/** A picked file as the API takes it: format from its name, bytes as base64. */
async function encode(file: File): Promise<{ format: "csv" | "xlsx"; content: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { format: /\.xlsx$/i.test(file.name) ? "xlsx" : "csv", content: btoa(binary) };
}

/**
 * Admin: import key points, vehicles or the catalog from a spreadsheet. Download the template, pick
 * the file, check it (every problem by row and column), then import: all rows or none.
 */
export function ImportsAdmin() {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [kind, setKind] = useState<ImportKind>("keypoints");
  const [file, setFile] = useState<{ format: "csv" | "xlsx"; content: string } | null>(null);
  const [preview, setPreview] = useState<ImportOutcome | null>(null);
  const [busy, setBusy] = useState<"preview" | "commit" | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function pick(f: File | undefined) {
    setPreview(null);
    setError(null);
    setFile(null);
    if (!f) return;
    if (f.size > IMPORT_MAX_BYTES) {
      setError(new Error(`${f.name}: > ${Math.round(IMPORT_MAX_BYTES / 1024)} KB`));
      return;
    }
    setFile(await encode(f));
  }
  async function run(step: "preview" | "commit") {
    if (!file) return;
    setBusy(step);
    setError(null);
    try {
      if (step === "preview") setPreview(await call(api.imports.preview, { params: { kind }, body: file }));
      else {
        const done = await call(api.imports.commit, {
          params: { kind },
          body: { ...file, checksum: preview!.checksum },
        });
        void message.success(t("admin.imports.done", { created: done.created, unchanged: done.unchanged }));
        setPreview(null);
        setFile(null);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title={t("admin.imports.title")} data-testid="imports-admin">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<ImportKind>
          value={kind}
          style={{ width: 180 }}
          aria-label={t("admin.imports.kind")}
          data-testid="import-kind"
          onChange={(k) => {
            setKind(k);
            setPreview(null);
          }}
          options={IMPORT_KINDS.map((k) => ({ value: k, label: t(`admin.imports.kinds.${k}`) }))}
        />
        <Button icon={<DownloadOutlined />} href={`/api/imports/${kind}/template.csv`} download>
          {t("admin.imports.template")}
        </Button>
        <label>
          <Typography.Text type="secondary">
            <UploadOutlined /> {t("admin.imports.file")}{" "}
          </Typography.Text>
          <input
            type="file"
            accept=".csv,.xlsx,text/csv"
            data-testid="import-file"
            onChange={(e) => void pick(e.target.files?.[0])}
          />
        </label>
        <Button
          disabled={!file}
          loading={busy === "preview"}
          onClick={() => void run("preview")}
          data-testid="import-preview"
        >
          {t("admin.imports.preview")}
        </Button>
        <Button
          type="primary"
          disabled={!preview || preview.problems.length > 0 || busy !== null}
          loading={busy === "commit"}
          onClick={() => void run("commit")}
          data-testid="import-commit"
        >
          {t("admin.imports.commit")}
        </Button>
      </Space>
      {busy === "commit" && preview && (
        <Alert
          type="info"
          showIcon
          title={t("admin.imports.importing", { n: preview.rows })}
          style={{ marginBottom: 12 }}
        />
      )}
      {error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, error)}
          description={errorDetail(error)}
          style={{ marginBottom: 12 }}
        />
      )}
      {preview && (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Typography.Text data-testid="import-summary">
            {t("admin.imports.rows", { n: preview.rows, created: preview.created, unchanged: preview.unchanged })}
          </Typography.Text>
          {preview.problems.length > 0 && (
            <>
              <Alert type="warning" showIcon title={t("admin.imports.problems", { n: preview.problems.length })} />
              <Table<ImportProblem>
                size="small"
                rowKey={(p) => `${p.row}:${p.field}:${p.message}`}
                dataSource={preview.problems}
                pagination={{ defaultPageSize: 20 }}
                data-testid="import-problems"
                columns={[
                  { title: t("admin.imports.row"), dataIndex: "row", width: 80 },
                  { title: t("admin.imports.field"), dataIndex: "field", width: 160 },
                  { title: t("admin.imports.message"), dataIndex: "message" },
                ]}
              />
            </>
          )}
        </Space>
      )}
    </Card>
  );
}
