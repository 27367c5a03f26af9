import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/investor', name: 'investor', component: () => import('./FeedPage.vue'), meta: { title: 'investor.title', roles: ['INVESTOR', 'OPERATOR', 'ADMIN'] } },
  ],
  nav: [{ to: '/investor', label: 'investor.nav', for: ['INVESTOR'], order: 50 }],
}
export default area
