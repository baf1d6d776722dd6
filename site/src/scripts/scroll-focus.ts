/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/**
 * Lets the keyboard reach every code block and table that is wider than its box, so that it can
 * be scrolled without a mouse; checked again whenever the window changes size.
 */
export function setupScrollFocus(): void {
  const update = (): void => {
    for (const box of document.querySelectorAll<HTMLElement>('main pre, main table')) {
      const scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute('tabindex')) {
        box.tabIndex = 0;
        box.dataset.scrollFocus = '';
      } else if (!scrolls && box.dataset.scrollFocus !== undefined) {
        box.removeAttribute('tabindex');
        delete box.dataset.scrollFocus;
      }
    }
  };
  update();
  window.addEventListener('resize', update);
}
