import type { Area } from '../../shell/area'

const area: Area = {
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./SignInPage.vue'), meta: { public: true, title: 'account.signInTitle' } },
    { path: '/sign-up', name: 'sign-up', component: () => import('./SignUpPage.vue'), meta: { public: true, title: 'account.signUpTitle' } },
    { path: '/profile', name: 'profile', component: () => import('./ProfilePage.vue'), meta: { title: 'account.profileTitle' } },
  ],
  nav: [{ to: '/sign-up', label: 'common.signUp', for: ['visitor'], order: 90 },
    { to: '/profile', label: 'account.profileNav', for: ['TALENT', 'ORGANISATION'], order: 80 }],
}
export default area
