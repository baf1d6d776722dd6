/** A run of plain text or of code. */
export interface TextPart {
  text: string;
  code: boolean;
}

/** Splits a message or step on backtick pairs, so `code` spans can be shown as code (never as HTML). */
export function splitCode(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const pieces = text.split('`');
  // An odd count of backticks leaves the last one unpaired: keep it as text.
  const paired =
    pieces.length % 2 === 1
      ? pieces
      : [...pieces.slice(0, -2), `${pieces.at(-2) ?? ''}\`${pieces.at(-1) ?? ''}`];
  paired.forEach((piece, index) => {
    if (piece !== '') parts.push({ text: piece, code: index % 2 === 1 });
  });
  return parts;
}
