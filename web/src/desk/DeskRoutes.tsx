import { Navigate, Outlet, Route, Routes, useLocation } from "react-router-dom";
import { Spin } from "antd";
import type { Role } from "../../../shared/roles.js";
import { useSession } from "../shared-ui/session.js";
import { Landing } from "./Landing.js";
import { Shell } from "./Shell.js";
import { LoginPage } from "./pages/LoginPage.js";
import { DutyRoomPage } from "./duty/DutyRoomPage.js";
import { StationHeadPage } from "./station/StationHeadPage.js";
import { AdminPage } from "./pages/AdminPage.js";
import { ForbiddenPage, NotFoundPage } from "./pages/ResultPages.js";

/** Waits for GET /api/auth/me, then lets signed-in users through and sends others to /login. */
function RequireSession() {
  const s = useSession();
  const location = useLocation();
  if (s.status === "loading") return <Spin fullscreen />;
  if (s.status === "signedOut") {
    // After an explicit sign-out the next person starts at their own landing page, not at the
    // page the previous user was on; a deep link or an expired session comes back to it.
    const from = s.reason === "logout" ? undefined : location.pathname + location.search;
    return <Navigate to="/login" replace state={{ from, expired: s.reason === "expired" }} />;
  }
  return <Outlet />;
}

/** Admin-only screens: the server enforces it too; this only avoids showing useless forms. */
function RequireRole({ roles }: { roles: readonly Role[] }) {
  const s = useSession();
  if (s.status !== "signedIn") return null;
  return roles.includes(s.me.role) ? <Outlet /> : <ForbiddenPage />;
}

function Home() {
  const s = useSession();
  return s.status === "signedIn" ? <Landing role={s.me.role} /> : null;
}

export function DeskRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireSession />}>
        <Route element={<Shell />}>
          <Route index element={<Home />} />
          <Route path="/duty" element={<DutyRoomPage />} />
          {/* The first duty page (an event feed) grew into the duty room: old bookmarks land there. */}
          <Route path="/duty/feed" element={<Navigate to="/duty" replace />} />
          <Route path="/station" element={<StationHeadPage />} />
          <Route element={<RequireRole roles={["admin"]} />}>
            <Route path="/admin" element={<AdminPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
