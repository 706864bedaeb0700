import type { DutyRoomTexts } from "../zh-CN/dutyroom.js";

export const dutyroom: DutyRoomTexts = {
  title: "Duty room",
  intake: {
    title: "New call",
    shortcuts: "Keys: Alt+N new call · Enter submit · Ctrl+Enter submit from a text area · Alt+1…9 toggle flags · Esc clear",
    source: "Source", callerName: "Caller name", callerPhone: "Caller phone", anonymous: "optional (anonymous)",
    keyPoint: "Key point", keyPointPh: "Type a key point's name", place: "Place", placePh: "Address or landmark; or click the map",
    position: "Position", pickOnMap: "Click the map to set the position", noPosition: "No position yet",
    peopleCount: "People", temperature: "Temperature (°C)", description: "What the caller saw", notes: "Notes", flags: "Condition",
    submit: "Log call", clear: "Clear", urgencyPreview: "Expected urgency",
    created: "New case opened", merged: "Added to an existing case ({{count}} calls)",
    needPosition: "Set a position first: pick a key point or click the map",
  },
  dup: {
    title: "Possibly the same person ({{count}})", none: "No open case nearby",
    distance: "{{m}} m", minutes: "{{min}} min apart", same: "Same person: merge", different: "Not the same person",
    chosenMerge: "Will be added to the chosen case", chosenNew: "Will open a new case",
    auto: "With exactly one candidate the server merges automatically; it can be undone",
  },
  queue: { title: "Queue ({{count}})", empty: "No open cases", callers: "{{count}} calls", waiting: "Waiting" },
  urgency: { critical: "Critical", high: "High", medium: "Medium", low: "Low" },
  status: { open: "Open", dispatched: "Dispatched", on_scene: "On scene", closed: "Closed", merged: "Merged", cancelled: "Cancelled" },
  source: {
    public_hotline: "Help hotline", police_110: "Police 110", city_hotline_12345: "City hotline 12345", ambulance_120: "Ambulance 120",
    city_management: "City management", grid_worker: "Grid worker", volunteer: "Volunteer", sanitation_worker: "Sanitation worker",
    taxi_driver: "Taxi driver", patrol_found: "Found by patrol", walk_in: "Walk-in", partner_system: "Partner system (Open311)",
  },
  flag: {
    elderly: "Elderly", minor: "Minor", injured_or_ill: "Injured / ill", mental_health_crisis: "Mental-health crisis",
    intoxicated: "Intoxicated", pregnant: "Pregnant", disabled: "Disabled", inadequate_clothing: "Inadequate clothing", not_moving: "Not moving",
  },
  detail: {
    title: "Case", calls: "Calls ({{count}})", caller: "Caller", anonymous: "anonymous", hidden: "(not shown for your role)",
    received: "Received", place: "Place", people: "People", flags: "Condition", temp: "Temperature", notes: "Notes", reason: "Why",
    overridden: "Overridden: {{reason}} (rule: {{computed}})", override: "Change urgency", overrideReason: "Reason",
    save: "Save", unmerge: "Move out to its own case", unmerged: "Moved out", mergeTitle: "Merge into another case", mergeInto: "Target case",
    mergeDo: "Merge", mergedOk: "Merged", fromPartner: "partner system",
    intake: { created: "new case", merged_by_rule: "merged by rule", merged_by_operator: "merged by operator" },
    dispatch: "Dispatch", dispatchPending: "The dispatch panel comes from the dispatch module (web/src/desk/dispatch/DispatchPanel.tsx is not there yet)",
  },
  map: {
    noTiles: "No map tiles configured: plain background; markers are still in the right place",
    tilesDown: "Map tiles cannot be reached: plain background; markers are still in the right place",
    cases: "Cases", vehicles: "Vehicles", keyPoints: "Key points", stations: "Stations", shelters: "Warming shelters",
    free: "{{n}} free", beds: "{{n}} beds", lastVisit: "Last visit: {{t}}", never: "Never visited",
    due: { ok: "on time", due: "due soon", overdue: "overdue" },
    cluster: "{{count}} cases", pick: "Chosen position", stationShort: "St", shelterShort: "Sh",
  },
  vehicleStatus: {
    off_duty: "Off duty", available: "Available", dispatched: "Dispatched", en_route: "En route", on_scene: "On scene", transporting: "Transporting", out_of_service: "Out of service",
  },
  resynced: "Offline for too long: data was reloaded from the server",
  error: "Failed",
};
