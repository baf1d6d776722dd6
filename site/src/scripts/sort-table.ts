/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/** Makes tables with `data-sortable` sortable by the columns whose header holds a button. */
export function setupSortableTables(): void {
  for (const table of document.querySelectorAll<HTMLTableElement>('table[data-sortable]')) {
    const headers = [...table.querySelectorAll<HTMLTableCellElement>('thead th')];
    headers.forEach((header, column) => {
      const button = header.querySelector('button');
      if (!button) return;
      button.addEventListener('click', () => {
        const body = table.tBodies[0];
        if (!body) return;
        const descending = header.getAttribute('aria-sort') !== 'descending';
        for (const other of headers) other.removeAttribute('aria-sort');
        header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        const value = (row: HTMLTableRowElement): string =>
          row.cells[column]?.dataset.value ?? row.cells[column]?.textContent ?? '';
        const rows = [...body.rows].sort((a, b) => {
          const x = value(a);
          const y = value(b);
          const order =
            Number.isNaN(Number(x)) || Number.isNaN(Number(y))
              ? x.localeCompare(y)
              : Number(x) - Number(y);
          return descending ? -order : order;
        });
        body.append(...rows);
      });
    });
  }
}
