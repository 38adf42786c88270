import type { Locale } from './locale.ts'

/**
 * Where to send the person to pay: PROTUS's own checkout page (the sandbox's, on the app's
 * origin) is told the interface language with `?lang=`; another provider's page is left as it is.
 */
export function checkoutUrlIn(checkoutUrl: string, locale: Locale, appOrigin: string): string {
  const url = new URL(checkoutUrl, appOrigin)
  if (url.origin !== appOrigin) return checkoutUrl
  url.searchParams.set('lang', locale)
  return url.href
}
