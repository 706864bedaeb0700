import { useEffect } from "react";
import { Navigate } from "react-router-dom";
import { Spin } from "antd";
import type { Role } from "../../../shared/roles.js";
import { isPhonePath, landingPath } from "../shared-ui/landing.js";

/** Leaves the desktop app for the phone page with a full page load (a separate HTML entry). */
function FullPageRedirect({ to }: { to: string }) {
  useEffect(() => window.location.replace(to), [to]);
  return <Spin fullscreen />;
}

/** Sends a signed-in user to their role's start page, which may be the phone page. */
export function Landing({ role }: { role: Role }) {
  const to = landingPath(role);
  return isPhonePath(to) ? <FullPageRedirect to={to} /> : <Navigate to={to} replace />;
}
