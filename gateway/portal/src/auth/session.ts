// Who is signed in: the tokens (kept in localStorage, so a reload keeps the session), the
// account (`me`), and the refresh ahead of the access token's expiry.
import { computed, reactive } from 'vue'
import { configureAuth, request, requestAnonymously, resetSocket } from '../api/client'
import { ApiError, isProblem } from '../api/problems'
import type { AccountRole, MeQuery } from '../gql/graphql'
import { Me, Refresh, SignIn, SignOut, SignUp } from './operations'

const STORAGE_KEY = 'boyin.session'

interface Tokens {
  accessToken: string
  refreshToken: string
  /** epoch milliseconds */
  expiresAt: number
}

export type Account = NonNullable<MeQuery['me']>

const state = reactive({
  tokens: load(),
  account: null as Account | null,
  loaded: false,
})

function load(): Tokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as Tokens) : null
  } catch {
    return null
  }
}

let timer: ReturnType<typeof setTimeout> | undefined

function keep(tokens: Tokens | null): void {
  state.tokens = tokens
  clearTimeout(timer)
  if (tokens) {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens))
    const wait = Math.max(5_000, tokens.expiresAt - Date.now() - 60_000)
    timer = setTimeout(() => void refresh(), wait)
  } else {
    localStorage.removeItem(STORAGE_KEY)
  }
}

function fromSession(s: { accessToken: string; refreshToken: string; expiresIn: number }): Tokens {
  return { accessToken: s.accessToken, refreshToken: s.refreshToken, expiresAt: Date.now() + s.expiresIn * 1000 }
}

let refreshing: Promise<boolean> | null = null

/** A new token pair from the refresh token (one request at a time); false: signed out. */
export function refresh(): Promise<boolean> {
  const tokens = state.tokens
  if (!tokens) return Promise.resolve(false)
  refreshing ??= (async () => {
    try {
      const data = await requestAnonymously(Refresh, { refreshToken: tokens.refreshToken })
      const result = data.refreshSession
      if (result.__typename === 'Session') {
        keep(fromSession(result))
        resetSocket() // the socket authenticates again with the new token
        return true
      }
      forget()
      return false
    } catch (error) {
      if (error instanceof ApiError && error.code !== 'NETWORK') forget()
      return false
    } finally {
      refreshing = null
    }
  })()
  return refreshing
}

function forget(): void {
  keep(null)
  state.account = null
  resetSocket()
}

configureAuth({
  token: () => state.tokens?.accessToken ?? null,
  refresh,
})

/** Read the signed-in account (after sign-in, a refresh, or a profile registered). */
export async function loadAccount(): Promise<Account | null> {
  if (!state.tokens) {
    state.account = null
  } else {
    if (state.tokens.expiresAt < Date.now() + 10_000) await refresh()
    try {
      state.account = state.tokens ? ((await request(Me)).me ?? null) : null
    } catch (error) {
      if (!(error instanceof ApiError) || error.code === 'NETWORK') throw error
      forget()
    }
  }
  state.loaded = true
  return state.account
}

/** Sign in; returns the Problem to show, or null when signed in. */
export async function signIn(login: string, password: string) {
  const result = (await requestAnonymously(SignIn, { login, password })).signIn
  if (isProblem(result)) return result
  if (result.__typename !== 'Session') return null
  keep(fromSession(result))
  resetSocket()
  await loadAccount()
  return null
}

/** Sign up (a talent or an organisation) and sign in; returns the Problem, or null. */
export async function signUp(login: string, password: string, role: AccountRole) {
  const result = (await requestAnonymously(SignUp, { login, password, role })).signUp
  if (isProblem(result)) return result
  if (result.__typename !== 'SignedUp') return null
  keep(fromSession(result.session))
  resetSocket()
  await loadAccount()
  return null
}

export async function signOut(): Promise<void> {
  const tokens = state.tokens
  if (tokens) {
    try {
      await requestAnonymously(SignOut, { refreshToken: tokens.refreshToken })
    } catch {
      // signed out here anyway
    }
  }
  forget()
}

export const session = {
  state,
  account: computed(() => state.account),
  signedIn: computed(() => state.account !== null),
  role: computed(() => state.account?.role ?? null),
  partyId: computed(() => state.account?.partyId ?? null),
}
