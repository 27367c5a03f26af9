import { graphql } from '../gql'

export const ReferenceData = graphql(`
  query ReferenceData {
    taxonomy { version nodes { code parent name { zh en } retired } }
    districts { code name { zh en } kind }
    eligibilityCriteria { code side name { zh en } }
    editions { code name { zh en } }
  }
`)
