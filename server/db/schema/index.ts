export * from "./stations.js";
export * from "./users.js";
export * from "./events.js";
export * from "./fleet.js";
export * from "./keypoints.js";
export * from "./supplies.js";
export * from "./campaigns.js";
