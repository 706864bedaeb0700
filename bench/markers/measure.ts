// Records requestAnimationFrame intervals after a warm-up; the bench reads window.__frames.
declare global {
  interface Window {
    __frames?: number[];
    __ready?: boolean;
  }
}
export function startMeasure(warmupMs = 1000): void {
  const frames: number[] = [];
  let last = 0;
  const t0 = performance.now();
  const loop = (t: number) => {
    if (t - t0 > warmupMs) {
      if (last) frames.push(t - last);
      last = t;
      window.__ready = true;
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  window.__frames = frames;
}
