import { useState } from "react";
import { App, Button, Card, Form, Input, Popconfirm, Space, Typography } from "antd";
import { api, call } from "../../../api/client.js";
import type { IdentificationFile } from "../../../../../shared/api/identification.js";
import { PHOTO_MAX_BYTES, detectPhotoType } from "../../../../../shared/identification-photo.js";
import { fmt } from "../texts.js";
import { isoOf } from "../formKit.js";
import { useErrorWithCode, useIdTexts, when } from "./texts.js";

/** Bytes as base64, in chunks (String.fromCharCode takes a bounded number of arguments). */
function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * The photo of a file, only with consent: record who consented and when, then keep a JPEG or PNG
 * (checked here by its bytes as the server does); showing it is a read the server audits;
 * withdrawing consent deletes it. Text is rendered as text; the image only as a data: URL of the
 * two allowed types.
 */
export function PhotoCard({ file, onSaved }: { file: IdentificationFile; onSaved: (f: IdentificationFile) => void }) {
  const t = useIdTexts();
  const p = t.photo;
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [givenBy, setGivenBy] = useState("");
  const [givenAt, setGivenAt] = useState("");
  const [shown, setShown] = useState<string>();
  const [busy, setBusy] = useState(false);
  const consent = file.photo.consent;

  async function run(step: () => Promise<IdentificationFile>) {
    setBusy(true);
    try {
      onSaved(await step());
      setShown(undefined);
      void message.success(p.saved);
    } catch (err) {
      void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }
  const id = { id: file.personId };

  async function upload(f: File) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    const type = detectPhotoType(bytes);
    if (!type || bytes.length > PHOTO_MAX_BYTES) {
      void message.error(p.upload);
      return;
    }
    await run(() =>
      call(api.identificationPhoto.upload, {
        params: id,
        body: { contentType: type, data: toBase64(bytes), version: file.version },
      }),
    );
  }
  async function show() {
    try {
      const photo = await call(api.identificationPhoto.get, { params: id });
      setShown(`data:${photo.contentType === "image/png" ? "image/png" : "image/jpeg"};base64,${photo.data}`);
    } catch (err) {
      void message.error(errText(err));
    }
  }

  return (
    <Card size="small" title={p.title} data-testid="id-photo">
      {!consent ? (
        <Form
          layout="inline"
          onFinish={() =>
            void run(() =>
              call(api.identificationPhoto.recordConsent, {
                params: id,
                body: { givenBy, givenAt: isoOf(givenAt), version: file.version },
              }),
            )
          }
        >
          <Typography.Paragraph type="secondary" style={{ width: "100%" }}>
            {p.none}
          </Typography.Paragraph>
          <Form.Item label={p.givenBy} htmlFor="id-photo-given-by" required>
            <Input
              id="id-photo-given-by"
              value={givenBy}
              maxLength={60}
              onChange={(e) => setGivenBy(e.target.value)}
              data-testid="id-photo-given-by"
            />
          </Form.Item>
          <Form.Item label={p.givenAt} htmlFor="id-photo-given-at">
            <Input
              id="id-photo-given-at"
              type="datetime-local"
              value={givenAt}
              onChange={(e) => setGivenAt(e.target.value)}
            />
          </Form.Item>
          <Button htmlType="submit" loading={busy} disabled={!givenBy.trim()} data-testid="id-photo-consent">
            {p.record}
          </Button>
        </Form>
      ) : (
        <Space orientation="vertical">
          <span data-testid="id-photo-consent-text">
            {fmt(p.consent, { by: consent.givenBy, at: when(consent.givenAt), recordedAt: when(consent.recordedAt) })}
          </span>
          {file.photo.contentType && <span>{fmt(p.hasPhoto, { kb: Math.ceil(file.photo.bytes / 1024) })}</span>}
          <Space wrap>
            <label htmlFor="id-photo-file">{p.upload}</label>
            <input
              id="id-photo-file"
              type="file"
              accept="image/jpeg,image/png"
              data-testid="id-photo-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void upload(f);
              }}
            />
            {file.photo.contentType && (
              <Button onClick={() => void show()} data-testid="id-photo-show">
                {p.show}
              </Button>
            )}
            <Popconfirm
              title={p.withdrawConfirm}
              onConfirm={() =>
                void run(() =>
                  call(api.identificationPhoto.withdrawConsent, { params: id, body: { version: file.version } }),
                )
              }
            >
              <Button danger loading={busy} data-testid="id-photo-withdraw">
                {p.withdraw}
              </Button>
            </Popconfirm>
          </Space>
          {shown && (
            <img src={shown} alt={p.alt} style={{ maxWidth: 240, maxHeight: 320 }} data-testid="id-photo-img" />
          )}
        </Space>
      )}
    </Card>
  );
}
