/** A box of the workflow diagram. */
interface DiagramBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** The step text, shortened to fit. */
  label: string;
}

/** Positions of the diagram's boxes, top to bottom, with the gap the arrows take. */
export interface DiagramLayout {
  width: number;
  height: number;
  gap: number;
  boxes: DiagramBox[];
}

const maxLabel = 68;

/** Shortens a label to `max` characters, ending with `…` when cut. */
export function shorten(text: string, max = maxLabel): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Lays out one box per step in a vertical flow. */
export function diagramLayout(steps: readonly string[]): DiagramLayout {
  const width = 640;
  const height = 44;
  const gap = 28;
  const boxes = steps.map((text, index) => ({
    x: 8,
    y: 8 + index * (height + gap),
    width: width - 16,
    height,
    label: shorten(text),
  }));
  return {
    width,
    height: boxes.length === 0 ? 0 : 16 + boxes.length * height + (boxes.length - 1) * gap,
    gap,
    boxes,
  };
}
