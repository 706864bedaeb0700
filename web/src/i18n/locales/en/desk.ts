import type { DeskTexts } from "../zh-CN/desk.js";

export const desk: DeskTexts = {
  nav: {
    duty: "Duty room",
    patrol: "Patrol (phone)",
    station: "Station",
    admin: "Admin",
  },
  header: { station: "Station", role: "Role" },
  station: {
    col: {
      code: "Code", name: "Name", region: "Region", address: "Address",
      hotline: "Help hotline", beds: "Beds", position: "Position",
    },
  },
  admin: {
    vehicles: {
      title: "Vehicles", add: "New vehicle", addTitle: "Add a vehicle", editTitle: "Edit vehicle", edit: "Edit", save: "Save", cancel: "Cancel", saved: "Saved",
      search: "Search call sign or plate", total: "{{n}} vehicles", allStations: "All stations", allStatuses: "All statuses",
      callSign: "Call sign", plate: "Plate", station: "Station", seats: "Seats (driver included)", status: "Status", required: "Required",
      callSignHint: "Unique in the city, e.g. DL-03", setStatus: "Set to", statusChanged: "{{callSign}} is now {{status}}",
      statusHint: "Only changes the status machine allows; dispatch, en route and on scene come from tasks",
    },
    keypoints: {
      title: "Key points", add: "New key point", addTitle: "Add a key point", editTitle: "Edit key point", edit: "Edit", save: "Save", cancel: "Cancel", saved: "Saved",
      search: "Search name or address", total: "{{n}} key points", allStations: "All stations", showInactive: "Show inactive",
      name: "Name", kind: "Kind", station: "Station", address: "Address / directions", notes: "Notes for patrols", lat: "Latitude (WGS-84)", lng: "Longitude (WGS-84)",
      lastVisit: "Last visit", never: "Never", active: "On the rounds", inactive: "Inactive", deactivate: "Take off", reactivate: "Put back",
      deactivated: "Taken off the rounds: {{name}}", reactivated: "Back on the rounds: {{name}}", required: "Required", mapHint: "Click the map to place it, or type the coordinates",
      deactivateConfirm: "It leaves the due-now list and the maps; visits already recorded stay counted. Take it off the rounds?",
      namePh: "e.g. Xinhua Bridge underpass",
      kinds: {
        bridge_underpass: "Bridge underpass", culvert: "Culvert", railway_station: "Railway station", bus_station: "Bus station", square: "Square", park: "Park",
        underpass: "Underground passage", abandoned_building: "Abandoned building", construction_site: "Construction site", other: "Other",
      },
    },
    users: {
      title: "Users", add: "New user", addTitle: "Add a user", editTitle: "Edit user", edit: "Edit", save: "Save", cancel: "Cancel", saved: "Saved",
      search: "Search account or name", total: "{{n}} users", allRoles: "All roles",
      username: "Account name", displayName: "Display name", role: "Role", station: "Station", region: "Region", scope: "Scope", createdAt: "Created",
      active: "Active", inactive: "Switched off", deactivate: "Switch off", reactivate: "Switch on", deactivated: "Switched off: {{name}}", reactivated: "Switched on: {{name}}",
      deactivateConfirm: "The account can no longer sign in and its open sessions end at once. Switch it off?",
      password: "First password", newPassword: "New password", passwordHint: "At least {{n}} characters", resetPassword: "Reset password", resetTitle: "Reset the password of {{name}}",
      resetDone: "Password of {{name}} reset; their sessions were ended", required: "Required",
      usernameHint: "Lower-case letters, digits, . _ -; fixed once created", scopeHint: "Operators, patrols and heads belong to one station; supervisors oversee a region; admins see everything",
      sessionsEnded: "Role, scope or active flag changed: the user must sign in again",
    },
    catalog: {
      title: "Supply catalog", add: "New item", addTitle: "Add a catalog item", editTitle: "Edit catalog item", edit: "Edit", save: "Save", cancel: "Cancel", saved: "Saved",
      code: "Code", nameZh: "Name (Chinese)", nameEn: "Name (English)", unitZh: "Unit (Chinese)", unitEn: "Unit (English)", unit: "Unit", unitValue: "Unit value (yuan)",
      lowStockThreshold: "Low-stock threshold", active: "Handed out", inactive: "Retired", search: "Search code or name", required: "Required",
      codeHint: "Lower-case letters, digits, - and _; fixed once created", valueHint: "A new value applies from now on; past movements keep the value of their time", total: "{{n}} items",
    },
    title: "Admin",
    stationsTitle: "Stations",
    create: "New station",
    createTitle: "Create a station",
    created: "Station {{name}} created",
    submit: "Create",
    cancel: "Cancel",
    field: {
      code: "Code", name: "Name", regionId: "Region", lat: "Latitude (WGS-84)", lng: "Longitude (WGS-84)",
      address: "Address", hotline: "Help hotline", beds: "Beds",
    },
    placeholder: { code: "e.g. DL", name: "e.g. Daoli District Relief Station", regionId: "Choose a region" },
    required: "Required",
    level: { city: "City", district: "District", street: "Street", community: "Community" },
  },
  forbidden: { title: "Not allowed", body: "This page is for administrators only." },
  notFound: { title: "Page not found", back: "Back to start" },
};
