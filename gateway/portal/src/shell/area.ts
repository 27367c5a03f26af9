// What an area of the portal gives the shell: its routes and its navigation entries.
// Each area is a folder src/areas/<area>/ with routes.ts (default export: Area) and
// messages.ts; the router and the menu find them by name (no shared file to edit).
import type { RouteRecordRaw } from 'vue-router'
import type { AccountRole } from '../gql/graphql'

export interface NavItem {
  /** the route's path */
  to: string
  /** message key of the label, e.g. 'matches.nav' */
  label: string
  /** who sees the entry: roles, 'visitor' (not signed in), or everyone when absent */
  for?: (AccountRole | 'visitor')[]
  /** place in the menu, smaller first */
  order: number
}

export interface Area {
  routes: RouteRecordRaw[]
  nav?: NavItem[]
}

declare module 'vue-router' {
  interface RouteMeta {
    /** message key of the page title */
    title?: string
    /** signed-in accounts of these roles only (any signed-in account when empty) */
    roles?: AccountRole[]
    /** anyone, signed in or not */
    public?: boolean
  }
}
