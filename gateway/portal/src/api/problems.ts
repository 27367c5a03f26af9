// The API's refusals: a result union's Problem (code, message, per-field errors) and
// GraphQL-level errors (extensions.code and .message {zh, en}), kept in one shape so that a
// form shows each message beside its field, in the reader's language.
import { reactive } from 'vue'
import { pick, type Bilingual } from './text'

export interface FieldProblem {
  field: string
  code: string
  message: Bilingual
}

export interface ProblemShape {
  __typename?: string
  code: string
  message: Bilingual
  fields?: FieldProblem[] | null
}

/** An error of the API or of the network, thrown by the client. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly bilingual: Bilingual,
    readonly fields: FieldProblem[] = [],
    readonly status = 0,
  ) {
    super(bilingual.en || bilingual.zh || code)
  }
}

const PROBLEM_TYPES = new Set(['InvalidInput', 'Conflict', 'NotFound', 'Forbidden'])

/** Whether a result union's member is a Problem. */
export function isProblem(value: unknown): value is ProblemShape {
  const name = (value as { __typename?: string } | null)?.__typename
  return !!name && PROBLEM_TYPES.has(name)
}

/** The field names of the services are snake_case (`content.title_zh`, `claims.0.evidence`);
 * forms name their items in camelCase like the GraphQL inputs. Both are accepted. */
export function fieldKey(path: string): string {
  return path.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/**
 * The problems of one form: `at(field)` is the message for a form item (Element Plus's
 * `:error`), `general` what no item showed (shown above the form).
 */
export function useProblems() {
  const state = reactive({
    byField: {} as Record<string, Bilingual>,
    general: null as Bilingual | null,
    code: '' as string,
    shown: new Set<string>(),
  })

  function clear(): void {
    state.byField = {}
    state.general = null
    state.code = ''
  }

  function set(problem: ProblemShape | ApiError): void {
    clear()
    const fields = problem instanceof ApiError ? problem.fields : (problem.fields ?? [])
    state.code = problem.code
    for (const f of fields) state.byField[fieldKey(f.field)] = f.message
    state.general = problem instanceof ApiError ? problem.bilingual : problem.message
  }

  /** The message of a field (its exact path, or the path under `prefix`, e.g. `content.`). */
  function at(...paths: string[]): string {
    for (const p of paths) {
      const key = fieldKey(p)
      for (const prefix of ['', 'input.', 'content.', 'content.details.']) {
        const found = state.byField[prefix + key]
        if (found) return pick(found)
      }
      // a nested detail: `content.details.project_cooperation.trl` for the item `trl`
      const tail = Object.keys(state.byField).find((k) => k.endsWith('.' + key))
      if (tail) return pick(state.byField[tail])
    }
    return ''
  }

  /** Field errors no item claims (listed under the general message). */
  function unclaimed(known: string[]): FieldProblem[] {
    const names = known.map(fieldKey)
    return Object.entries(state.byField)
      .filter(([k]) => !names.some((n) => k === n || k.endsWith('.' + n) || k.startsWith(n + '.')))
      .map(([field, message]) => ({ field, code: '', message }))
  }

  return { state, set, clear, at, unclaimed }
}
