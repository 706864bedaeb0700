import { useRef, useState } from "react";
import { App, Button, Card, Checkbox, Form, Input, Radio, Space } from "antd";
import { api, call } from "../../../api/client.js";
import { DEFAULT_NOTICE_FIELDS, NOTICE_FIELDS } from "../../../../../shared/identification.js";
import { useErrorWithCode, useIdTexts } from "./texts.js";

type Field = (typeof NOTICE_FIELDS)[number];

/**
 * The family-search notice (寻亲公告) with the fields the head ticks: the text, and the image-free HTML
 * shown in a sandboxed frame (no scripts run there) to print, copy or download for publication.
 */
export function NoticeCard({ personId, chosen }: { personId: string; chosen: readonly Field[] }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  // The head's choice kept with the file, else the fields that name no one.
  const [fields, setFields] = useState<Field[]>([...(chosen.length ? chosen : DEFAULT_NOTICE_FIELDS)]);
  const [lang, setLang] = useState<"zh-CN" | "en">("zh-CN");
  const [notice, setNotice] = useState<{ text: string; html: string }>();
  const [busy, setBusy] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);

  async function generate() {
    setBusy(true);
    try {
      setNotice(await call(api.identification.notice, { params: { id: personId }, body: { fields, lang } }));
    } catch (err) {
      void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      void message.success(t.copied);
    } catch (err) {
      void message.error(errText(err));
    }
  }
  function download(html: string) {
    const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "notice.html";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <Card size="small" title={t.notice} data-testid="id-notice">
      <Form layout="vertical">
        <Form.Item label={t.noticeFields}>
          <Checkbox.Group
            value={fields}
            onChange={(v) => setFields(v)}
            options={NOTICE_FIELDS.map((f) => ({ value: f, label: t.noticeFieldNames[f] }))}
            data-testid="id-notice-fields"
          />
        </Form.Item>
        <Form.Item label={t.noticeLang}>
          <Radio.Group value={lang} onChange={(e) => setLang(e.target.value as "zh-CN" | "en")}>
            <Radio value="zh-CN">{t.langs["zh-CN"]}</Radio>
            <Radio value="en">{t.langs.en}</Radio>
          </Radio.Group>
        </Form.Item>
        <Button
          type="primary"
          loading={busy}
          disabled={fields.length === 0}
          onClick={() => void generate()}
          data-testid="id-notice-generate"
        >
          {t.generate}
        </Button>
      </Form>
      {notice && (
        <Space orientation="vertical" style={{ width: "100%", marginTop: 12 }}>
          <label htmlFor="id-notice-text">{t.noticeText}</label>
          <Input.TextArea
            id="id-notice-text"
            readOnly
            value={notice.text}
            autoSize={{ minRows: 4, maxRows: 14 }}
            data-testid="id-notice-text"
          />
          <Space wrap>
            <Button onClick={() => void copy(notice.text)}>{t.copyText}</Button>
            <Button onClick={() => void copy(notice.html)}>{t.copyHtml}</Button>
            <Button onClick={() => download(notice.html)}>{t.downloadHtml}</Button>
            <Button onClick={() => frame.current?.contentWindow?.print()} data-testid="id-notice-print">
              {t.print}
            </Button>
          </Space>
          {/* Same origin so the page can print it, but no allow-scripts: nothing in it runs. */}
          <iframe
            ref={frame}
            title={t.noticePreview}
            sandbox="allow-same-origin allow-modals"
            srcDoc={notice.html}
            style={{ width: "100%", height: 420, border: "1px solid #d9d9d9", background: "#fff" }}
            data-testid="id-notice-frame"
          />
        </Space>
      )}
    </Card>
  );
}
