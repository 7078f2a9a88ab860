/**
 * @file Whether a page scrolls sideways, and what makes it: used by the phone test and by
 * scripts/screenshots.ts.
 */
import type { Page } from 'playwright-core';

/** How wide the page is, and what sticks out of it (outside any box that scrolls or clips). */
export async function overflow(page: Page): Promise<{ page: number; viewport: number; culprits: string[] }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= viewport + 1) continue;
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
        if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) clipped = true;
      if (!clipped)
        culprits.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(r.right)}px`);
    }
    return { page: document.documentElement.scrollWidth, viewport, culprits: culprits.slice(0, 8) };
  });
}
