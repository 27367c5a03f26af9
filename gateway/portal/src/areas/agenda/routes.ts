import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/agenda', name: 'agenda', component: () => import('./AgendaPage.vue'), meta: { roles: ['TALENT', 'ORGANISATION'], title: 'agenda.title' } },
  ],
  nav: [{ to: '/agenda', label: 'agenda.nav', for: ['TALENT', 'ORGANISATION'], order: 30 }],
}
export default area
