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

export function formatTimeRange(start: string, end: string): string {
  const tag = languageTag(locale())
  const day = formatDate(start)
  const time = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', hour12: false })
  const sep = locale() === 'zh' ? '—' : '–'
  return `${day} ${time.format(new Date(start))}${sep}${time.format(new Date(end))}`
}
