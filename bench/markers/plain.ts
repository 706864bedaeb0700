import { startMeasure } from "./measure.js";

// Floor: N dots drawn on one full-window canvas, redrawn every frame; every frame 10 % move and the
// view pans (an offset applied when drawing). The least work that shows N moving, panned markers —
// what a canvas marker layer costs at best (no map, no hit testing, no labels).
const N = Number(new URLSearchParams(location.search).get("n") ?? 10000);
const root = document.getElementById("root")!;
const canvas = document.createElement("canvas");
const W = innerWidth,
  H = innerHeight;
const dpr = devicePixelRatio || 1;
canvas.width = W * dpr;
canvas.height = H * dpr;
canvas.style.cssText = `display:block;width:${W}px;height:${H}px;background:#e9edf1`;
root.appendChild(canvas);
const ctx = canvas.getContext("2d")!;
ctx.scale(dpr, dpr);
const xs = new Float64Array(N),
  ys = new Float64Array(N);
for (let i = 0; i < N; i++) {
  xs[i] = Math.random() * W * 2 - W / 2;
  ys[i] = Math.random() * H * 2 - H / 2;
}
let frame = 0;
const tick = () => {
  frame++;
  const from = (frame * Math.ceil(N / 10)) % N;
  for (let k = 0; k < N / 10; k++) {
    const i = (from + k) % N;
    xs[i] = xs[i]! + Math.random() - 0.5;
    ys[i] = ys[i]! + Math.random() - 0.5;
  }
  const dx = Math.sin(frame / 30) * 40,
    dy = Math.cos(frame / 30) * 40;
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = "#1677ff";
  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let i = 0; i < N; i++) {
    const x = xs[i]! + dx,
      y = ys[i]! + dy;
    if (x < -8 || y < -8 || x > W + 8 || y > H + 8) continue;
    ctx.moveTo(x + 6, y);
    ctx.arc(x, y, 6, 0, Math.PI * 2);
  }
  ctx.fill();
  ctx.stroke();
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
startMeasure();
