/**
 * Grid clustering in screen space: points whose projected positions fall into the same square cell
 * of `cellPx` pixels become one cluster. Simple, stable while panning (cells are anchored to the
 * projection, not the viewport) and fast enough for thousands of points; a dispatcher needs "how
 * many, roughly where, how bad", not exact cluster shapes.
 */
interface ClusterInput<T> {
  item: T;
  x: number;
  y: number;
}
interface Cluster<T> {
  items: T[];
  x: number;
  y: number;
}

/** Groups points by cell; each cluster's position is the mean of its members. */
export function gridCluster<T>(points: readonly ClusterInput<T>[], cellPx: number): Cluster<T>[] {
  const cells = new Map<string, { items: T[]; sx: number; sy: number }>();
  for (const p of points) {
    const key = `${Math.floor(p.x / cellPx)}:${Math.floor(p.y / cellPx)}`;
    const c = cells.get(key);
    if (c) {
      c.items.push(p.item);
      c.sx += p.x;
      c.sy += p.y;
    } else cells.set(key, { items: [p.item], sx: p.x, sy: p.y });
  }
  return [...cells.values()].map((c) => ({ items: c.items, x: c.sx / c.items.length, y: c.sy / c.items.length }));
}
