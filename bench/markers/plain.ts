import { startMeasure } from "./measure.js";

// Floor: N absolutely positioned divs (same chip look) in a pannable layer; every frame 10 % move
// (style.transform) and the layer pans (one transform on the container).
const N = Number(new URLSearchParams(location.search).get("n") ?? 10000);
const root = document.getElementById("root")!;
root.style.cssText = "position:relative;width:100vw;height:100vh;overflow:hidden;background:#e9edf1";
const pane = document.createElement("div");
pane.style.cssText = "position:absolute;left:0;top:0;will-change:transform";
root.appendChild(pane);
const W = innerWidth,
  H = innerHeight;
const xs = new Float64Array(N),
  ys = new Float64Array(N);
const els: HTMLDivElement[] = [];
for (let i = 0; i < N; i++) {
  const el = document.createElement("div");
  el.textContent = `V-${i}`;
  el.title = `V-${i}`;
  el.style.cssText =
    "position:absolute;left:0;top:0;white-space:nowrap;color:#fff;font:600 11px/18px sans-serif;padding:0 6px;" +
    "border:2px solid #fff;border-radius:10px;background:#1677ff;box-shadow:0 1px 3px rgba(0,0,0,.35)";
  xs[i] = Math.random() * W * 2 - W / 2;
  ys[i] = Math.random() * H * 2 - H / 2;
  el.style.transform = `translate(${xs[i]}px,${ys[i]}px)`;
  pane.appendChild(el);
  els.push(el);
}
let frame = 0;
const tick = () => {
  frame++;
  const from = (frame * Math.ceil(N / 10)) % N;
  for (let k = 0; k < N / 10; k++) {
    const i = (from + k) % N;
    xs[i] = xs[i]! + Math.random() - 0.5;
    ys[i] = ys[i]! + Math.random() - 0.5;
    els[i]!.style.transform = `translate(${xs[i]}px,${ys[i]}px)`;
  }
  pane.style.transform = `translate(${Math.sin(frame / 30) * 40}px,${Math.cos(frame / 30) * 40}px)`;
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
startMeasure();
