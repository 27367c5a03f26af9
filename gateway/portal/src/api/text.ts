// Bilingual values of the API (LocalizedText, zh/en messages) in the reader's language.
import { i18n, type Locale } from '../i18n'

export interface Bilingual {
  zh?: string | null
  en?: string | null
}

/** The text in the reader's language, else in the other one (never empty when either is). */
export function pick(text: Bilingual | null | undefined, locale?: Locale): string {
  if (!text) return ''
  const lang = locale ?? (i18n.global.locale.value as Locale)
  const first = lang === 'zh' ? text.zh : text.en
  const other = lang === 'zh' ? text.en : text.zh
  return first || other || ''
}
