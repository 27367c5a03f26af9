// Chinese (the default) and English. Every area keeps its own messages in
// src/areas/<area>/messages.ts ({ zh: {...}, en: {...} }), found here by name and merged
// under the area's name: `t('<area>.<key>')`. Shared words are under `common`
// (src/shell/messages.ts). The reader's choice is remembered (localStorage) and `?lang=en`
// in a link (a poster's QR code) chooses it too.
import { createI18n } from 'vue-i18n'
import common from './shell/messages'

export type Locale = 'zh' | 'en'
export const LOCALES: Locale[] = ['zh', 'en']
const STORAGE_KEY = 'boyin.locale'

type Tree = { [key: string]: string | Tree }
interface AreaMessages {
  zh: Tree
  en: Tree
}

const found = import.meta.glob<{ default: AreaMessages }>('./areas/*/messages.ts', { eager: true })
const messages: Record<Locale, Tree> = { zh: { common: common.zh }, en: { common: common.en } }
for (const [path, module] of Object.entries(found)) {
  const area = path.split('/')[2] as string
  messages.zh[area] = module.default.zh
  messages.en[area] = module.default.en
}

export function initialLocale(): Locale {
  const asked = new URLSearchParams(location.search).get('lang')
  if (asked === 'zh' || asked === 'en') {
    localStorage.setItem(STORAGE_KEY, asked)
    return asked
  }
  const kept = localStorage.getItem(STORAGE_KEY)
  return kept === 'en' ? 'en' : 'zh'
}

const dateTimeFormats = {
  zh: {
    date: { year: 'numeric', month: 'long', day: 'numeric' },
    dateTime: { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
    time: { hour: '2-digit', minute: '2-digit', hour12: false },
  },
  en: {
    date: { year: 'numeric', month: 'short', day: 'numeric' },
    dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false },
    time: { hour: '2-digit', minute: '2-digit', hour12: false },
  },
} as const

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh',
  messages,
  datetimeFormats: {
    zh: dateTimeFormats.zh,
    en: dateTimeFormats.en,
  },
  missingWarn: false,
  fallbackWarn: false,
})

/** The BCP 47 tag of a locale (for <html lang> and Intl). */
export function languageTag(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en'
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = languageTag(locale)
}
