import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/matches', name: 'matches', component: () => import('./MatchesPage.vue'), meta: { roles: ['TALENT', 'ORGANISATION'], title: 'matches.title' } },
  ],
  nav: [{ to: '/matches', label: 'matches.nav', for: ['TALENT', 'ORGANISATION'], order: 20 }],
}
export default area
