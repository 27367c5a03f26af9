import type { Area } from '../../shell/area'

const officers: ('DISTRICT_OFFICER' | 'OPERATOR' | 'ADMIN')[] = ['DISTRICT_OFFICER', 'OPERATOR', 'ADMIN']

const area: Area = {
  routes: [
    { path: '/district', name: 'district', component: () => import('./DemandsPage.vue'), meta: { title: 'district.title', roles: officers } },
    { path: '/district/demands/:id', name: 'district-review', component: () => import('./ReviewPage.vue'), meta: { title: 'district.reviewTitle', roles: officers } },
    { path: '/district/import', name: 'district-import', component: () => import('./ImportPage.vue'), meta: { title: 'district.importTitle', roles: officers } },
  ],
  nav: [
    { to: '/district', label: 'district.nav', for: ['DISTRICT_OFFICER'], order: 40 },
    { to: '/district/import', label: 'district.importNav', for: ['DISTRICT_OFFICER'], order: 41 },
  ],
}
export default area
