/**
 * Renders the PWA icons (192 and 512 px, plus a maskable 512 with the safe-zone padding
 * Android's adaptive icons crop into) from client/public/icon.svg with the system Chromium.
 * Run after changing the logo: `npx tsx client/scripts/make-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../../tests/helpers/browser';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../public');
const svg = readFileSync(path.join(publicDir, 'icon.svg'), 'utf8');
const svgUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

interface IconSpec {
  file: string;
  size: number;
  /** Maskable icons keep the logo inside the central 80 % circle on a full-bleed background. */
  maskable: boolean;
}

const ICONS: IconSpec[] = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon.png', size: 180, maskable: true },
];

function html({ size, maskable }: IconSpec): string {
  const inner = maskable ? Math.round(size * 0.72) : size;
  const background = maskable ? '#0f766e' : 'transparent';
  return `<!doctype html><html><body style="margin:0;background:${background};width:${size}px;height:${size}px;display:grid;place-items:center">
<img src="${svgUrl}" width="${inner}" height="${inner}" style="display:block"></body></html>`;
}

const browser = await launchBrowser();
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({
      viewport: { width: icon.size, height: icon.size },
      deviceScaleFactor: 1,
    });
    await page.setContent(html(icon));
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({
      path: path.join(publicDir, icon.file),
      omitBackground: !icon.maskable,
    });
    await page.close();
    process.stdout.write(`wrote ${icon.file}\n`);
  }
} finally {
  await browser.close();
}
