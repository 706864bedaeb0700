import type { PhoneTexts } from "../zh-CN/phone.js";

export const phone: PhoneTexts = {
  title: "Patrol",
  queued: "{{count}} queued",
  task: {
    title: "Current task",
    none: "No task",
    hint: "When the dispatcher assigns you a task, it shows here.",
  },
  station: "Station",
  openDesk: "Open desktop app",
};
