import type { Role } from "../../../shared/roles.js";

/** Where each role starts after sign-in: the screen their work happens on. */
export function landingPath(role: Role): string {
  switch (role) {
    case "operator":
      return "/duty";
    case "patrol":
      return "/m/"; // the phone page: a full page load, not a client route
    case "head":
    case "supervisor":
      return "/station";
    case "admin":
      return "/admin";
  }
}

/** True for paths served by the phone page rather than the desktop app. */
export function isPhonePath(path: string): boolean {
  return path === "/m" || path.startsWith("/m/");
}
