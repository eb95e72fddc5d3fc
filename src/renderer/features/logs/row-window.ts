// Which rows of a list of fixed-height rows to draw for a viewport. Log rows are all one height, so
// the window is arithmetic on the scroll offset: no per-row measurement, whatever the row count.

export interface RowWindow {
  /** First row drawn (inclusive). */
  readonly first: number;
  /** Row after the last one drawn. */
  readonly last: number;
}

export function rowWindow(
  count: number,
  rowPx: number,
  viewportPx: number,
  topPx: number,
  overscan: number,
): RowWindow {
  if (count <= 0 || rowPx <= 0) return { first: 0, last: 0 };
  const maxTop = Math.max(0, count * rowPx - viewportPx);
  const top = Math.min(Math.max(0, topPx), maxTop);
  const first = Math.max(0, Math.floor(top / rowPx) - overscan);
  const last = Math.min(count, Math.ceil((top + Math.max(0, viewportPx)) / rowPx) + overscan);
  return { first, last: Math.max(first, last) };
}
