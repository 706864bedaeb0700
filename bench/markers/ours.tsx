import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { WarmMap, type MapLayer, type MapPoint } from "../../web/src/map/WarmMap.js";
import { startMeasure } from "./measure.js";

// The duty room's vehicle layer (labelled chips, not clustered) with N live markers; every frame
// 10 % of them move (new layers array, as a socket update would give) and the map pans a little.
const N = Number(new URLSearchParams(location.search).get("n") ?? 10000);
const CENTER = { lat: 45.75, lng: 126.65 };
const initial: MapPoint[] = Array.from({ length: N }, (_, i) => ({
  id: `v${i}`, lat: CENTER.lat + (Math.random() - 0.5) * 0.1, lng: CENTER.lng + (Math.random() - 0.5) * 0.16,
  shape: "chip", color: "#1677ff", label: `V-${i}`, title: `V-${i}`,
}));

function App() {
  const [points, setPoints] = useState(initial);
  const [focus, setFocus] = useState(CENTER);
  useEffect(() => {
    let frame = 0;
    let raf = 0;
    const tick = () => {
      frame++;
      setPoints((prev) => {
        const next = prev.slice();
        const from = (frame * Math.ceil(N / 10)) % N;
        for (let k = 0; k < N / 10; k++) {
          const i = (from + k) % N;
          const p = next[i]!;
          next[i] = { ...p, lat: p.lat + (Math.random() - 0.5) * 1e-4, lng: p.lng + (Math.random() - 0.5) * 1e-4 };
        }
        return next;
      });
      setFocus({ lat: CENTER.lat + Math.sin(frame / 30) * 0.005, lng: CENTER.lng + Math.cos(frame / 30) * 0.008 });
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, []);
  const layers: MapLayer[] = [{ key: "vehicles", points }];
  return (
    <WarmMap config={{ tileUrl: "", attribution: "", crs: "wgs84", subdomains: [], maxZoom: 18 }} layers={layers}
      center={CENTER} zoom={13} focus={focus} height="100vh"
      texts={{ noTiles: "no tiles", tilesDown: "tiles down", cluster: (n) => String(n) }} />
  );
}

createRoot(document.getElementById("root")!).render(<App />);
startMeasure();
