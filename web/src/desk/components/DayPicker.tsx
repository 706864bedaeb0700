import { DatePicker } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import "dayjs/locale/zh-cn";
import "dayjs/locale/en";
import { useLanguage } from "../../i18n/index.js";

const FORMAT = "YYYY-MM-DD";

/**
 * A report day ("YYYY-MM-DD" string in, string out) picked with antd's DatePicker in the UI
 * language, instead of the browser's own date input (mm/dd/yyyy on an English browser). Days
 * outside min..max cannot be picked. `testId` lands on the text input, so tests can type a day.
 */
export function DayPicker({
  value,
  onChange,
  min,
  max,
  testId,
  allowClear = false,
  width = 160,
}: {
  value: string;
  onChange: (day: string) => void;
  min?: string;
  max?: string;
  testId?: string;
  allowClear?: boolean;
  width?: number;
}) {
  const [lang] = useLanguage();
  dayjs.locale(lang === "en" ? "en" : "zh-cn");
  return (
    <DatePicker
      value={value ? dayjs(value, FORMAT) : null}
      format={FORMAT}
      allowClear={allowClear}
      disabledDate={(d: Dayjs) => (!!min && d.format(FORMAT) < min) || (!!max && d.format(FORMAT) > max)}
      onChange={(d: Dayjs | null) => onChange(d ? d.format(FORMAT) : "")}
      style={{ width }}
      {...(testId ? { "data-testid": testId } : {})}
    />
  );
}
