import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/', name: 'home', component: () => import('./HomePage.vue'), meta: { public: true, title: 'home.title' } },
    { path: '/forbidden', name: 'forbidden', component: () => import('../../shell/Forbidden.vue'), meta: { public: true, title: 'common.forbidden' } },
  ],
  nav: [{ to: '/', label: 'common.home', order: 0 }],
}
export default area
