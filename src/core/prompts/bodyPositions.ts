/** Converts offsets inside a prompt body to 0-based body line/column. */
export interface BodyPosition {
  line: number;
  column: number;
}

export function bodyPositionMapper(body: string): (offset: number) => BodyPosition {
  const lineStarts = [0];
  for (let i = 0; i < body.length; i++) if (body[i] === '\n') lineStarts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - lineStarts[lo] };
  };
}
