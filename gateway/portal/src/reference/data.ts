// The reference data the API serves (taxonomies 33618 and 416, districts, eligibility
// criteria, editions), read once per page load and shared by every page.
import { shallowRef } from 'vue'
import { request } from '../api/client'
import type { ReferenceDataQuery } from '../gql/graphql'
import { ReferenceData } from './operations'

export type Reference = ReferenceDataQuery
export type TaxonomyNode = Reference['taxonomy']['nodes'][number]

const cached = shallowRef<Reference | null>(null)
let loading: Promise<Reference> | null = null

export function useReference() {
  if (!cached.value && !loading) {
    loading = request(ReferenceData)
      .then((data) => {
        cached.value = data
        return data
      })
      .finally(() => {
        loading = null
      })
  }
  return cached
}

/** The root of a taxonomy code's tree (its system: C33 for 33618, T416 for 416). */
export function rootOf(nodes: TaxonomyNode[], code: string): string {
  const byCode = new Map(nodes.map((n) => [n.code, n]))
  let node = byCode.get(code)
  while (node?.parent) node = byCode.get(node.parent)
  return node?.code ?? code
}
