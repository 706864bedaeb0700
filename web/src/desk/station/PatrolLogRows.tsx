import { Button, Card, Form, Input, InputNumber, Select, Space } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { CONDITION_FLAGS, ENCOUNTER_OUTCOMES } from "../../../../shared/vocab.js";
import { uuid } from "../../shared-ui/uuid.js";
import { SupplyLines, localOf, useFormTexts } from "./formKit.js";

type Option = { value: string; label: string };

/** Key points checked during the logged sortie: point, time, people found; rows carry their visit id. */
export function KeyPointRows({ keyPoints, defaultTime }: { keyPoints: Option[]; defaultTime: () => string }) {
  const { f } = useFormTexts();
  return (
    <Form.List name="keyPoints">
      {(fields, { add, remove }) => (
        <Card size="small" title={f.log.keyPoints}>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap data-testid={`log-kp-row-${field.name}`}>
              <Form.Item name={[field.name, "id"]} hidden>
                <Input />
              </Form.Item>
              <Form.Item name={[field.name, "keyPointId"]} label={f.log.keyPoint}>
                <Select
                  style={{ width: 220 }}
                  options={keyPoints}
                  showSearch={{ optionFilterProp: "label" }}
                  data-testid={`log-kp-${field.name}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, "visitedAt"]} label={f.log.visitedAt}>
                <Input type="datetime-local" data-testid={`log-kp-time-${field.name}`} />
              </Form.Item>
              <Form.Item name={[field.name, "peopleFound"]} label={f.log.peopleFound}>
                <InputNumber min={0} max={500} data-testid={`log-kp-found-${field.name}`} />
              </Form.Item>
              <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={f.log.remove} />
            </Space>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ id: uuid(), peopleFound: 0, visitedAt: defaultTime() })}
            data-testid="log-kp-add"
          >
            {f.log.addKeyPoint}
          </Button>
        </Card>
      )}
    </Form.List>
  );
}

/** People met during the logged sortie: outcome, condition, where, when, supplies from the load. */
export function EncounterRows({
  visits,
  items,
  defaultTime,
}: {
  visits: Option[];
  items: Option[];
  defaultTime: () => string;
}) {
  const { f, vocab } = useFormTexts();
  return (
    <Form.List name="encounters">
      {(fields, { add, remove }) => (
        <Card size="small" title={f.log.encounters}>
          {fields.map((field) => (
            <Card
              key={field.key}
              size="small"
              style={{ marginBottom: 8 }}
              data-testid={`log-enc-row-${field.name}`}
              extra={<Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={f.log.remove} />}
            >
              <Form.Item name={[field.name, "id"]} hidden>
                <Input />
              </Form.Item>
              <Space align="baseline" wrap>
                <Form.Item name={[field.name, "outcome"]} label={f.log.outcome}>
                  <Select
                    style={{ width: 180 }}
                    options={ENCOUNTER_OUTCOMES.map((o) => ({ value: o, label: vocab.outcome[o] }))}
                    data-testid={`log-enc-outcome-${field.name}`}
                  />
                </Form.Item>
                <Form.Item name={[field.name, "flags"]} label={f.log.flags}>
                  <Select
                    mode="multiple"
                    style={{ minWidth: 200 }}
                    options={CONDITION_FLAGS.map((c) => ({ value: c, label: vocab.flag[c] }))}
                    data-testid={`log-enc-flags-${field.name}`}
                  />
                </Form.Item>
                <Form.Item name={[field.name, "keyPointVisitId"]} label={f.log.atKeyPoint}>
                  <Select
                    style={{ width: 200 }}
                    allowClear
                    options={visits}
                    data-testid={`log-enc-visit-${field.name}`}
                  />
                </Form.Item>
                <Form.Item name={[field.name, "occurredAt"]} label={f.log.occurredAt}>
                  <Input type="datetime-local" data-testid={`log-enc-time-${field.name}`} />
                </Form.Item>
              </Space>
              <Form.Item label={f.log.supplies}>
                <SupplyLines
                  name={[field.name, "supplies"]}
                  options={items}
                  addLabel={f.log.addLine}
                  testId={`log-enc-sup-${field.name}`}
                />
              </Form.Item>
              <Form.Item name={[field.name, "notes"]} label={f.log.notes}>
                <Input.TextArea rows={1} maxLength={2000} />
              </Form.Item>
            </Card>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() =>
              add({ id: uuid(), outcome: "street_aid", flags: [], supplies: [], occurredAt: defaultTime() })
            }
            data-testid="log-enc-add"
          >
            {f.log.addEncounter}
          </Button>
        </Card>
      )}
    </Form.List>
  );
}

/** A default time for a new row: the sortie's start, else now. */
export const rowTime = (startedAt: string | undefined) => startedAt || localOf(new Date());
