import type { FleetTexts } from "../zh-CN/fleet.js";

export const fleet: FleetTexts = {
  vehicleStatus: {
    off_duty: "Off duty", available: "Available", dispatched: "Dispatched", en_route: "En route",
    on_scene: "On scene", transporting: "Transporting", out_of_service: "Out of service",
  },
  urgency: { critical: "critical", high: "urgent", medium: "medium", low: "low" },
  taskStatus: {
    assigned: "Assigned", acknowledged: "Acknowledged", en_route: "En route", on_scene: "On scene", cleared: "Cleared", cancelled: "Cancelled",
  },
  outcome: {
    brought_in: "Brought in", street_aid: "Aided on street", hospital: "To hospital", escorted_home: "Escorted home", family_pickup: "Family pick-up",
    referred_police: "Referred: police", referred_minors: "Referred: minors", referred_mental_health: "Referred: mental health", refused: "Refused help", not_found: "Not found",
  },
  flag: {
    elderly: "Elderly", minor: "Minor", injured_or_ill: "Injured/ill", mental_health_crisis: "Mental health", intoxicated: "Intoxicated",
    pregnant: "Pregnant", disabled: "Disabled", inadequate_clothing: "Thin clothing", not_moving: "Not moving",
  },
  dispatch: {
    title: "Dispatch", recommended: "Recommended vehicles", none: "No vehicle available", distance: "{{km}} km", eta: "~{{min}} min",
    noPosition: "no position", assign: "Assign", reassign: "Reassign", cancel: "Cancel task", cancelReason: "Reason",
    tasks: "Tasks", speed: "ETA at an urban average of {{kmh}} km/h", onSortie: "crewed", conflict: "Someone else just dispatched that vehicle; choose again",
    reassignTo: "Reassign to", done: "Dispatched",
  },
  unacked: { title: "Unacknowledged tasks", item: "{{callSign}}: no acknowledgement for {{min}} min", none: "None" },
  phone: {
    pickVehicle: "Pick vehicle", changeVehicle: "Change vehicle", startSortie: "Start sortie", endSortie: "End sortie", crewCount: "Crew on board",
    crewNames: "Crew names (comma separated)", load: "Load supplies", returned: "Supplies returned", onBoard: "{{n}} on board", joinPatrol: "Join joint patrol",
    newPatrol: "New patrol", kind: { planned: "Planned", dispatched: "Sent to a call", proactive: "Proactive" },
    task: "Current task", noTask: "No task", navigate: "Navigate", amap: "AMap", baidu: "Baidu Maps",
    ack: "Acknowledge", enRoute: "Set off", onScene: "Arrived", clear: "Clear", record: "Record person", foundHere: "Found someone here",
    keyPoint: "Key-point check", keyPointPick: "Pick key point", peopleFound: "People found", nobody: "Nobody", save: "Save", back: "Back",
    found: "Found", notFound: "Not found", identity: "Identity (optional)", name: "Name", gender: "Gender", male: "Male", female: "Female",
    unknown: "Unknown", age: "Approx. age", idNumber: "ID number", hometown: "Hometown", notes: "Notes", supplies: "Supplies handed out",
    waiting: "Waiting", confirmed: "Confirmed", rejected: "Rejected", sending: "Sending", gps: "GPS on", gpsOff: "No GPS",
    place: "Place", people: "People", sortieOn: "Out · {{callSign}}", crew: "{{n}} crew",
    vehicle: "This vehicle", statusWaiting: "Waiting to send", statusServer: "Server: {{s}}",
  },
  map: {
    task: "Task", me: "My position", km: "{{n}} km", m: "{{n}} m", distance: "Straight line {{d}}",
    noTiles: "No base map configured: markers and distance only", tilesDown: "Base map unavailable: markers and distance only", fit: "Show all",
    loading: "Loading map…", unavailable: "The map cannot load right now (weak signal). Use navigation below.", retry: "Retry",
  },
  outbox: {
    startSortie: "Start sortie", endSortie: "End sortie", status: "Task: {{s}}", encounter: "Person: {{o}}", visit: "Key-point check",
  },
};
