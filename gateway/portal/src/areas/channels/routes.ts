import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/channels', name: 'channels', component: () => import('./ChannelsPage.vue'), meta: { public: true, title: 'channels.title' } },
    { path: '/channels/:slug/new', name: 'demand-new', component: () => import('./DemandFormPage.vue'), meta: { roles: ['TALENT', 'ORGANISATION'], title: 'channels.newTitle' } },
    { path: '/demands/:id', name: 'demand-edit', component: () => import('./DemandFormPage.vue'), meta: { roles: ['TALENT', 'ORGANISATION'], title: 'channels.editTitle' } },
  ],
  nav: [{ to: '/channels', label: 'channels.nav', order: 10 }],
}
export default area
