import type { DeskTexts } from "../zh-CN/desk.js";

export const desk: DeskTexts = {
  nav: {
    duty: "Duty room",
    patrol: "Patrol (phone)",
    station: "Station",
    admin: "Admin",
  },
  header: { station: "Station", role: "Role" },
  duty: {
    title: "Duty room",
    intro: "Live event stream: every event the server commits appears here at once; after a reconnect, missed events are replayed.",
    feedTitle: "Recent events (last {{count}})",
    empty: "No new events yet. Create or edit a station in another window and it appears here live.",
    lastEventId: "Last event id",
    resynced: "Offline for too long: data was reloaded from the server",
    clear: "Clear list",
    col: { id: "Id", type: "Type", time: "Time", station: "Station", summary: "Summary" },
    global: "City-wide",
  },
  station: {
    title: "Stations",
    intro: "Relief stations within your scope.",
    col: {
      code: "Code", name: "Name", region: "Region", address: "Address",
      hotline: "Help hotline", beds: "Beds", position: "Position",
    },
  },
  admin: {
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
