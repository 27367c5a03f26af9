// The router: every area's routes (src/areas/<area>/routes.ts), found by name. A page for
// signed-in accounts sends a visitor to sign in (and back afterwards); a page of other
// roles shows "not for your role".
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { loadAccount, session } from './auth/session'
import { i18n } from './i18n'
import type { Area, NavItem } from './shell/area'

const found = import.meta.glob<{ default: Area }>('./areas/*/routes.ts', { eager: true })
const areas = Object.values(found).map((m) => m.default)

export const navItems: NavItem[] = areas.flatMap((a) => a.nav ?? []).sort((a, b) => a.order - b.order)

const routes: RouteRecordRaw[] = [
  ...areas.flatMap((a) => a.routes),
  {
    path: '/:rest(.*)*',
    name: 'not-found',
    component: () => import('./shell/NotFound.vue'),
    meta: { public: true, title: 'common.notFound' },
  },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (!session.state.loaded) {
    try {
      await loadAccount()
    } catch {
      // offline: the page shows the error of its own requests
    }
  }
  if (to.meta.public) return true
  if (!session.signedIn.value) return { name: 'sign-in', query: { next: to.fullPath } }
  const roles = to.meta.roles
  if (roles?.length && !roles.includes(session.role.value!)) return { name: 'forbidden' }
  return true
})

router.afterEach((to) => {
  const t = i18n.global.t
  const title = to.meta.title ? t(to.meta.title) : ''
  document.title = title ? `${title} · ${t('common.brand')}` : t('common.brand')
})
