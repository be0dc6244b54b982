/** The TOTP secret in groups of 4, for typing it into an authenticator by hand. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** The text of the recovery-codes file: a header line, then one code per line. */
export function recoveryCodesFile(header: string, codes: readonly string[]): string {
  return [header, '', ...codes, ''].join('\r\n');
}

export interface BrowserSummary {
  browser: string | null;
  os: string | null;
}

const browsers: [RegExp, string][] = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/MicroMessenger\/(\d+)/, '微信'],
  [/QQBrowser\/(\d+)/, 'QQ'],
  [/(?:Firefox|FxiOS)\/(\d+)/, 'Firefox'],
  [/(?:Chrome|Chromium|CriOS)\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
];

const systems: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/HarmonyOS|OpenHarmony/, 'HarmonyOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome 141 · Windows" out of a User-Agent header (null parts: not recognised). */
export function browserSummary(userAgent: string | null): BrowserSummary {
  if (!userAgent) return { browser: null, os: null };
  let browser: string | null = null;
  for (const [re, name] of browsers) {
    const m = re.exec(userAgent);
    if (m) {
      browser = `${name} ${m[1]}`;
      break;
    }
  }
  const os = systems.find(([re]) => re.test(userAgent))?.[1] ?? null;
  return { browser, os };
}
