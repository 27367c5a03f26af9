import type { Area } from '../../shell/area'

const staff: ('OPERATOR' | 'ADMIN')[] = ['OPERATOR', 'ADMIN']

const area: Area = {
  routes: [
    { path: '/operators', name: 'operators', component: () => import('./DashboardPage.vue'), meta: { title: 'operators.dashboardTitle', roles: [...staff, 'DISTRICT_OFFICER'] } },
    { path: '/operators/matching', name: 'operators-matching', component: () => import('./MatchingPage.vue'), meta: { title: 'operators.matchingTitle', roles: staff } },
    { path: '/operators/scheduling', name: 'operators-scheduling', component: () => import('./SchedulingPage.vue'), meta: { title: 'operators.schedulingTitle', roles: staff } },
    { path: '/operators/agreements', name: 'operators-agreements', component: () => import('./AgreementsPage.vue'), meta: { title: 'operators.agreementsTitle', roles: staff } },
    { path: '/operators/reference', name: 'operators-reference', component: () => import('./ReferencePage.vue'), meta: { title: 'operators.referenceTitle', roles: staff } },
    { path: '/operators/accounts', name: 'operators-accounts', component: () => import('./AccountsPage.vue'), meta: { title: 'operators.accountsTitle', roles: staff } },
  ],
  nav: [
    { to: '/operators', label: 'operators.dashboardNav', for: ['OPERATOR', 'ADMIN', 'DISTRICT_OFFICER'], order: 70 },
    { to: '/operators/matching', label: 'operators.matchingNav', for: staff, order: 71 },
    { to: '/operators/scheduling', label: 'operators.schedulingNav', for: staff, order: 72 },
    { to: '/operators/agreements', label: 'operators.agreementsNav', for: staff, order: 73 },
    { to: '/operators/reference', label: 'operators.referenceNav', for: staff, order: 74 },
    { to: '/operators/accounts', label: 'operators.accountsNav', for: staff, order: 75 },
  ],
}
export default area
