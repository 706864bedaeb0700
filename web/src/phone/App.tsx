import { useTranslation } from "./i18n.js";
import { useSession } from "../shared-ui/session.js";
import { Login } from "./Login.js";
import { Home } from "./Home.js";

/** Signed out -> login form; signed in -> the patrol home screen. */
export function App() {
  const s = useSession();
  const { t } = useTranslation();
  if (s.status === "loading") {
    return (
      <main className="ph-center" aria-busy="true">
        {t("loading")}
      </main>
    );
  }
  if (s.status === "signedOut") return <Login expired={s.reason === "expired"} />;
  return <Home me={s.me} />;
}
