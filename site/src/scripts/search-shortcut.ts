/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** `/` and Ctrl/Cmd-K focus the search box of the page (outside text fields). */
export function setupSearchShortcut(): void {
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    const typing =
      target?.closest('input, textarea, select, [contenteditable]') !== null && target !== null;
    const isShortcut =
      (event.key === '/' && !typing) ||
      ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k');
    if (!isShortcut) return;
    const box = document.querySelector<HTMLInputElement>('[data-search-input]');
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
}
