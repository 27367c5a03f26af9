import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './shell/style.css'
import App from './shell/App.vue'
import { i18n, languageTag, type Locale } from './i18n'
import { router } from './router'

document.documentElement.lang = languageTag(i18n.global.locale.value as Locale)
createApp(App).use(i18n).use(router).use(ElementPlus).mount('#app')
