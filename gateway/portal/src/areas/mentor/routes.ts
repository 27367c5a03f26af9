import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/mentor', name: 'mentor', component: () => import('./QueuePage.vue'), meta: { title: 'mentor.title', roles: ['MENTOR'] } },
    { path: '/mentor/screenings/:id', name: 'mentor-screening', component: () => import('./RubricPage.vue'), meta: { title: 'mentor.rubricTitle', roles: ['MENTOR'] } },
    { path: '/mentor/consultations', name: 'mentor-consultations', component: () => import('./ConsultationsPage.vue'), meta: { title: 'mentor.consultationsTitle', roles: ['MENTOR'] } },
  ],
  nav: [
    { to: '/mentor', label: 'mentor.nav', for: ['MENTOR'], order: 60 },
    { to: '/mentor/consultations', label: 'mentor.consultationsNav', for: ['MENTOR'], order: 61 },
  ],
}
export default area
