// Dates and times as each language writes them: 2026年12月8日 14:30 / 8 Dec 2026, 14:30, in
// the reader's time zone, its name shown (the fair is in Chongqing, many readers abroad).
import { i18n, languageTag, type Locale } from '../i18n'

function locale(): Locale {
  return i18n.global.locale.value as Locale
}

export function formatDateTime(iso: string | null | undefined, withZone = true): string {
  if (!iso) return ''
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric', month: locale() === 'zh' ? 'long' : 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }
  if (withZone) options.timeZoneName = 'short'
  return new Intl.DateTimeFormat(languageTag(locale()), options).format(new Date(iso))
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const value = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(iso + 'T00:00:00') : new Date(iso)
  return new Intl.DateTimeFormat(languageTag(locale()), {
    year: 'numeric', month: locale() === 'zh' ? 'long' : 'short', day: 'numeric',
  }).format(value)
}

export function formatTimeRange(start: string, end: string, timeZone?: string): string {
  const tag = languageTag(locale())
  const zone = timeZone ? { timeZone } : {}
  const day = new Intl.DateTimeFormat(tag, {
    year: 'numeric', month: locale() === 'zh' ? 'long' : 'short', day: 'numeric', ...zone,
  }).format(new Date(start))
  const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hour12: false, ...zone })
  const sep = locale() === 'zh' ? '—' : '–'
  const range = `${day} ${time.format(new Date(start))}${sep}${time.format(new Date(end))}`
  return timeZone ? `${range}${zoneLabel(timeZone)}` : range
}

/** How a reader names a time zone: 北京时间 / Beijing time for China's, else the zone's
 * short name (GMT+1...). */
export function zoneLabel(timeZone: string): string {
  const china = timeZone === 'Asia/Shanghai' || timeZone === 'Asia/Chongqing'
  if (china) return locale() === 'zh' ? '（北京时间）' : ' (Beijing time)'
  const name = new Intl.DateTimeFormat(languageTag(locale()), { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value
  return locale() === 'zh' ? `（${name ?? timeZone}）` : ` (${name ?? timeZone})`
}

/** A span of days: one date when it is one day. */
export function formatDays(first: string, last: string): string {
  if (first === last) return formatDate(first)
  return `${formatDate(first)}${locale() === 'zh' ? '至' : ' – '}${formatDate(last)}`
}
