import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` package: the browser the site's tests and benchmark drive (none is downloaded). */
export const chromiumPath = '/usr/bin/chromium';

/** Starts headless Chromium with nothing running in the background (no sync, updates or QUIC). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
