// The portal's GraphQL client: operations typed by GraphQL Code Generator (src/gql, from
// ../schema.graphql), queries and mutations over HTTP, subscriptions over graphql-ws
// (graphql-transport-ws), uploads as multipart requests. An expired access token is
// refreshed once and the operation sent again.
import { createClient, type Client } from 'graphql-ws'
import type { TypedDocumentString } from '../gql/graphql'
import { ApiError } from './problems'

export interface AuthHooks {
  /** The current access token, or null for a visitor. */
  token(): string | null
  /** Trade the refresh token for a new pair; false when the session is over. */
  refresh(): Promise<boolean>
}

let auth: AuthHooks = { token: () => null, refresh: async () => false }

export function configureAuth(hooks: AuthHooks): void {
  auth = hooks
}

const ENDPOINT = '/graphql'

interface GraphQLErrorShape {
  message: string
  extensions?: { code?: string; message?: { zh?: string; en?: string } }
}

function fromErrors(errors: GraphQLErrorShape[], status = 200): ApiError {
  const first = errors[0]
  const ext = first?.extensions
  return new ApiError(
    ext?.code ?? 'GRAPHQL_ERROR',
    ext?.message ?? { en: first?.message ?? 'Error', zh: first?.message ?? '错误' },
    [],
    status,
  )
}

const NETWORK = new ApiError('NETWORK', {
  zh: '无法连接服务器，请检查网络后重试',
  en: 'Cannot reach the server; check the connection and retry',
})

async function post(body: BodyInit, headers: Record<string, string>, signed: boolean): Promise<Response> {
  const token = signed ? auth.token() : null
  const all: Record<string, string> = { ...headers }
  if (token) all.authorization = `Bearer ${token}`
  try {
    return await fetch(ENDPOINT, { method: 'POST', body, headers: all })
  } catch {
    throw NETWORK
  }
}

async function send<T>(makeBody: () => BodyInit, headers: Record<string, string>, signed = true): Promise<T> {
  let response = await post(makeBody(), headers, signed)
  if (signed && response.status === 401 && auth.token() && (await auth.refresh())) {
    response = await post(makeBody(), headers, signed)
  }
  let payload: { data?: T | null; errors?: GraphQLErrorShape[] }
  try {
    payload = await response.json()
  } catch {
    throw new ApiError('HTTP_' + response.status, {
      zh: `服务器错误（${response.status}）`,
      en: `Server error (${response.status})`,
    }, [], response.status)
  }
  if (payload.errors?.length) throw fromErrors(payload.errors, response.status)
  if (!response.ok || payload.data == null) {
    // the platform's error shape: {error: {code, message {zh, en}, fields}}
    const shape = (payload as { error?: { code?: string; message?: { zh?: string; en?: string }; fields?: [] } }).error ?? {}
    throw new ApiError(shape.code ?? 'HTTP_' + response.status, shape.message ?? { en: 'Error', zh: '错误' }, shape.fields ?? [], response.status)
  }
  return payload.data
}

/** Run a query or mutation; throws ApiError on a GraphQL or HTTP error. */
export function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  return send<TResult>(
    () => JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    { 'content-type': 'application/json' },
  )
}

/** An operation sent without the access token (sign-in, sign-up, the token's refresh). */
export function requestAnonymously<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  return send<TResult>(
    () => JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    { 'content-type': 'application/json' },
    false,
  )
}

/**
 * A mutation with one file (the GraphQL multipart request spec); `fileVariable` names the
 * Upload variable. The preflight header makes browsers ask first (the gateway requires it).
 */
export function upload<TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  fileVariable: keyof TVariables & string,
  file: File,
): Promise<TResult> {
  return send<TResult>(() => {
    const form = new FormData()
    form.append('operations', JSON.stringify({ query: document.toString(), variables: { ...variables, [fileVariable]: null } }))
    form.append('map', JSON.stringify({ '0': [`variables.${fileVariable}`] }))
    form.append('0', file, file.name)
    return form
  }, { 'apollo-require-preflight': 'true' })
}

let ws: Client | null = null
let wsToken: string | null = null

function socket(): Client {
  const token = auth.token()
  if (ws && token === wsToken) return ws
  void ws?.dispose()
  wsToken = token
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ENDPOINT}`
  ws = createClient({
    url,
    lazy: true,
    retryAttempts: 20,
    connectionParams: () => {
      const current = auth.token()
      return current ? { authorization: `Bearer ${current}` } : {}
    },
  })
  return ws
}

/** Close the socket (at sign-out: the next subscription connects as the new reader). */
export function resetSocket(): void {
  void ws?.dispose()
  ws = null
  wsToken = null
}

/**
 * Subscribe; `onData` gets each event's data, `onError` an ApiError. Returns the function
 * that ends the subscription (call it when the page goes away).
 */
export function subscribe<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  onData: (data: TResult) => void,
  onError?: (error: ApiError) => void,
): () => void {
  return socket().subscribe<TResult>(
    { query: document.toString(), variables: (variables ?? {}) as Record<string, unknown> },
    {
      next: (message) => {
        if (message.errors?.length) onError?.(fromErrors(message.errors as GraphQLErrorShape[]))
        else if (message.data) onData(message.data)
      },
      error: () => onError?.(NETWORK),
      complete: () => undefined,
    },
  )
}
