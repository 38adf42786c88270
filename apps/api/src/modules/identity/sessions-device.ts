/** What a session list shows of a browser: its name and operating system, when the user agent says. */
export interface Device {
  browser: string | null
  os: string | null
}

// Order matters: browsers built on Chrome also say "Chrome", and Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:Chrome|CriOS|HeadlessChrome|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
]

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

const first = (patterns: [RegExp, string][], userAgent: string) =>
  patterns.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null

export function deviceOf(userAgent: string): Device {
  return { browser: first(BROWSERS, userAgent), os: first(SYSTEMS, userAgent) }
}

const MAX_USER_AGENT = 512

/** A User-Agent header as it is kept: printable, at most 512 characters. */
export function storedUserAgent(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header.join(' ') : (header ?? '')
  const printable = [...value].map((char) => (char < ' ' || char === '\u007f' ? ' ' : char)).join('')
  return printable.trim().slice(0, MAX_USER_AGENT)
}
