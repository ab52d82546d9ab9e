/**
 * `Content-Disposition: attachment` with an ASCII fallback name and the exact UTF-8 name
 * (RFC 6266 / 5987), so "Éloïse Müller-Ørsted.vcf" survives in modern browsers and old
 * ones still get "Eloise Muller-Orsted.vcf".
 */
export function attachment(filename: string, fallbackBase = 'contact'): string {
  const dot = filename.lastIndexOf('.');
  const base = dot > 0 ? filename.slice(0, dot) : filename;
  const extension = dot > 0 ? filename.slice(dot) : '';
  const ascii =
    base
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[Øø]/g, (c) => (c === 'Ø' ? 'O' : 'o'))
      .replace(/[^A-Za-z0-9 ._-]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80) || fallbackBase;
  const utf8 = encodeURIComponent(`${base.slice(0, 120)}${extension}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}${extension}"; filename*=UTF-8''${utf8}`;
}
