/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
const storageKey = 'agentops-theme';

/** Applies a theme choice: `light`, `dark`, or `system` (follow the operating system). */
function applyTheme(choice: string): void {
  if (choice === 'light' || choice === 'dark') document.documentElement.dataset.theme = choice;
  else delete document.documentElement.dataset.theme;
}

/** Wires the theme menu: shows the stored choice and stores each new one. */
export function setupTheme(): void {
  const select = document.getElementById('theme-select');
  if (!(select instanceof HTMLSelectElement)) return;
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(storageKey);
  } catch {
    // Storage blocked (private mode): the menu still works for this page.
  }
  select.value = stored === 'light' || stored === 'dark' ? stored : 'system';
  select.addEventListener('change', () => {
    applyTheme(select.value);
    try {
      if (select.value === 'system') localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, select.value);
    } catch {
      // Not persisted when storage is blocked.
    }
  });
}
