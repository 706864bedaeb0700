import type { StationTexts } from "../zh-CN/station.js";

export const station: StationTexts = {
  title: "Station head",
  campaign: "Campaign",
  noCampaign: "No campaign covers this station now",
  station: "Station",
  allStations: "All stations",
  region: "Region",
  range: "Dates",
  reload: "Reload",
  tabs: { overview: "Overview", report: "Daily report", missing: "Missing reports", people: "People", supplies: "Supplies & beds", shelters: "Shelters", keyPoints: "Key points", print: "Print report" },
  alert: {
    title: "Cold-alert level", level: "Level in force", set: "Change level", reason: "Reason", reasonPh: "e.g. forecast low −30 °C",
    history: "History", cadence: "Key points every {{kp}} h · re-checks every {{re}} h", changed: "Alert level changed",
    campaignWide: "City-wide level",
    levels: { blue: "Blue", yellow: "Yellow", orange: "Orange", red: "Red" },
  },
  due: {
    title: "Due now", keyPoints: "Key points to visit", rechecks: "Welfare re-checks", none: "Nothing due", never: "Never visited",
    overdue: "Overdue", dueSoon: "Due soon", lastVisit: "Last visit", since: "Due since", unidentified: "Unidentified",
  },
  figures: {
    patrols: "Patrols", sorties: "Vehicle sorties", staffPersonTimes: "Staff person-times", keyPointVisits: "Key-point visits", keyPointsCovered: "Key points covered",
    settled: "Settled", sheltersInService: "Shelters and aid points in service",
    foundPersonTimes: "Found (person-times)", foundPersons: "Found (persons)", aidedInStation: "Aided in station", aidedOnStreet: "Aided on street",
    aidedTotal: "Aided in and out of station", hospital: "Taken to hospital", escortedHome: "Escorted home", familyPickup: "Picked up by family",
    escorts: "Escorted (picked up)", referred: "Referred", familiesFound: "Families found", suppliesQuantity: "Supplies handed out",
    suppliesValue: "Supplies value (yuan)", responseP50: "Response time, median", responseP90: "Response time, 90th pct", minutes: "{{n}} min",
  },
  trend: { title: "Daily trend", series: "Figure" },
  byStation: "By station",
  supplies: { title: "Supplies handed out", item: "Item", quantity: "Quantity", value: "Value (yuan)" },
  report: {
    day: "Day", prefill: "The day's figures (from the records)", remarks: "Remarks", remarksPh: "What happened today",
    submit: "Submit daily report", submitZero: "Submit zero report", zeroHint: "Nothing was recorded this day: submit a zero report",
    submitted: "Submitted", frozen: "Submitted and frozen; add an amendment to correct it", amend: "Add amendment", amendReason: "Reason",
    amendments: "Amendments", amendedAt: "Amended", zeroTag: "Zero report", dailyTag: "Daily report", done: "Report submitted", noHead: "Only the station head submits",
  },
  missing: {
    title: "Stations that have not reported", today: "Today", missingCount: "Days missing", overdue: "Oldest gap (days)", last: "Last reported",
    reportedToday: "Reported today", none: "Every station has reported", days: "Missing days",
  },
  people: {
    search: "Search name, ID number, hometown or flag", label: "Person", gender: "Gender", age: "Age", familySearch: "Family search", encounters: "Times met",
    lastSeen: "Last seen", detail: "Person record", identity: "Identity", name: "Name", idNumber: "ID number", hometown: "Hometown",
    history: "Encounters", place: "Place", outcome: "Outcome", duplicates: "Possible duplicates", merge: "Merge into this record", merged: "Merged",
    stays: "Stays", stayOpen: "staying", noIdentity: "Your role does not see identity", readsAudited: "Reads are audited",
    familyStatus: { none: "None", notice_published: "Notice published", family_found: "Family found" },
    genders: { male: "Male", female: "Female", unknown: "Unknown" },
  },
  outcomes: {
    brought_in: "Brought in", street_aid: "Street aid", hospital: "Hospital", escorted_home: "Escorted home", family_pickup: "Family pick-up",
    referred_police: "Referred to police", referred_minors: "Referred to minors centre", referred_mental_health: "Referred to mental health", refused: "Refused", not_found: "Not found",
  },
  stock: {
    title: "Stock", station: "In store", vehicles: "On vehicles", low: "Low stock", receive: "Receive", writeOff: "Write off", quantity: "Quantity", notes: "Notes",
    shelters: "Beds and warming shelters", capacity: "Places", occupied: "Occupied", free: "Free",
    kinds: { station: "Station", warming_shelter: "Warming shelter", service_point: "Service point" },
  },
  stays: {
    pending: "Brought in, not yet registered", registerThis: "Register", title: "Staying now", arrive: "Register arrival", bed: "Bed", needs: "Needs", needsPh: "e.g. medical, food, clothing (comma separated)", place: "Place",
    arrived: "Arrived", end: "Departure", reason: "How they left", voucher: "Travel voucher given", destination: "Destination", none: "Nobody is staying", ownBeds: "Station beds",
    reasons: { left: "Left on their own", escorted_home: "Escorted home", family_pickup: "Picked up by family", hospital: "To hospital", care_institution: "To a care institution", settled: "Settled locally" },
  },
  export: {
    totalsXlsx: "Export totals Excel", totals: "Export totals CSV", records: "Export records CSV", recordsXlsx: "Export records Excel", kind: "Records",
    progress: "Exporting {{done}} / {{total}} rows", done: "Export complete",
    kinds: { encounters: "Encounters (person-times)", patrols: "Patrols (with staff on foot)", sorties: "Vehicle sorties (with crews)", visits: "Key-point visits", stays: "Stays in the station", ledger: "Supply ledger" },
  },
  shelters: {
    title: "Warming shelters and outdoor service points", add: "Add a place", edit: "Edit", editTitle: "Edit place", addTitle: "Add a place", save: "Save", cancel: "Cancel",
    name: "Name", kind: "Kind", address: "Address", lat: "Latitude (WGS-84)", lng: "Longitude (WGS-84)", capacity: "Capacity", occupied: "Occupied", free: "Free",
    occupancy: "Occupancy", active: "Open this season", closed: "Closed", open: "Open", required: "Required", search: "Search name or address", all: "All kinds",
    saved: "Saved", stationBeds: "Station beds are kept in the station's record", total: "{{n}} places",
  },
  print: {
    button: "Print", daily: "Daily report", campaign: "Campaign report", period: "Period: {{period}}",
    heading: "{{name}}: work report", stationLine: "Reporting unit: {{station}}", remarks: "Remarks: ", generated: "Generated: {{at}}",
    from: "From", to: "To", wholeCampaign: "Whole campaign", byStation: "By station", rollup: "Total", stationSentence: "{{station}}: ",
  },
};
