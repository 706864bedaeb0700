import { Component, lazy, Suspense, type ReactNode } from "react";
import type { TaskMapProps } from "./TaskMap.js";

/**
 * The task map behind a dynamic import: Leaflet (~40 kB gzipped with its CSS) stays out of the
 * phone's first download. `preloadTaskMap` fetches the chunk once the crew has picked a vehicle,
 * while the signal is likely still good, so the map also opens later in a dead zone; if the chunk
 * still cannot be had, the card says so with a retry button and the navigation links keep working.
 */
let chunk: Promise<typeof import("./TaskMap.js")> | null = null;
const load = () =>
  (chunk ??= import("./TaskMap.js").catch((err: unknown) => {
    chunk = null;
    throw err;
  }));

/** Starts fetching the map code in the background (idempotent). */
export function preloadTaskMap(): void {
  void load().catch(() => {
    /* tried again when the map is shown */
  });
}

class Boundary extends Component<
  { fallback: (retry: () => void) => ReactNode; children: ReactNode },
  { failed: boolean; attempt: number }
> {
  override state = { failed: false, attempt: 0 };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed)
      return this.props.fallback(() => this.setState((s) => ({ failed: false, attempt: s.attempt + 1 })));
    return <Inner key={this.state.attempt}>{this.props.children}</Inner>;
  }
}
const Inner = ({ children }: { children: ReactNode }) => <>{children}</>;

/** The task map, or a placeholder while it loads, or a notice with a retry when it cannot. */
export function TaskMapLazy(props: TaskMapProps & { loading: string; unavailable: string; retry: string }) {
  const { loading, unavailable, retry, ...map } = props;
  return (
    <Boundary
      fallback={(again) => (
        <div className="ph-map-fallback" role="note">
          <p>{unavailable}</p>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={again}>
            {retry}
          </button>
        </div>
      )}
    >
      <Suspense
        fallback={
          <div className="ph-map-fallback" aria-busy="true">
            {loading}
          </div>
        }
      >
        <LazyMap {...map} />
      </Suspense>
    </Boundary>
  );
}

/** React.lazy keeps a rejected import for good: after a failure the next attempt gets a fresh lazy component. */
function LazyMap(props: TaskMapProps) {
  const Map = lazyOnce();
  return <Map {...props} />;
}
let lazyComp: ReturnType<typeof lazy<typeof import("./TaskMap.js").default>> | null = null;
let lazyFailed = false;
function lazyOnce() {
  if (!lazyComp || lazyFailed) {
    lazyFailed = false;
    lazyComp = lazy(() =>
      load().catch((err: unknown) => {
        lazyFailed = true;
        throw err;
      }),
    );
  }
  return lazyComp;
}
