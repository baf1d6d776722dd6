/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** Copies `text` to the clipboard, with a selection fallback where the Clipboard API is missing. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    // The legacy API is the only fallback where the Clipboard API is refused.
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

/** Wires every `button[data-copy-target]`: copies the target's text and announces the result. */
export function setupCopyButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy-target]')) {
    button.hidden = false;
    button.addEventListener('click', () => {
      const target = document.getElementById(button.dataset.copyTarget ?? '');
      const status = document.getElementById(button.dataset.copyStatus ?? '');
      if (!target) return;
      void copyText(target.textContent ?? '').then((copied) => {
        if (status)
          status.textContent = copied
            ? 'Copied to the clipboard.'
            : 'Copy failed: select the text and copy it.';
      });
    });
  }
}
