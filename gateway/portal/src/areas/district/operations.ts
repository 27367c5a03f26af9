import { graphql } from '../../gql'

export const DistrictDemands = graphql(`
  query DistrictDemands($filter: DemandFilter, $first: Int!, $after: String) {
    demands(first: $first, after: $after, filter: $filter) {
      edges { node { id channel status title { zh en } language updatedAt districtCode claims { review } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`)

export const DistrictDemand = graphql(`
  query DistrictDemand($id: ID!) {
    demand(id: $id) {
      id channel status revision districtCode language updatedAt expiresOn
      title { zh en } description { zh en } taxonomyCodes keywords
      claims { criterion evidence evidenceFile review reviewNote }
      attachments { id name downloadPath }
      history { to role at reason }
      owner { __typename ... on Organisation { id name { zh en } } ... on Talent { id name { zh en } } }
    }
  }
`)

export const DistrictDemandChanges = graphql(`
  subscription DistrictDemandChanges { districtDemands { demandId change status title { zh en } at } }
`)


export const StartDemandReview = graphql(`
  mutation StartDemandReview($id: ID!) {
    startDemandReview(id: $id) {
      __typename
      ... on Demand { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const ReviewClaim = graphql(`
  mutation ReviewClaim($id: ID!, $criterion: Criterion!, $confirmed: Boolean!, $note: String) {
    reviewClaim(id: $id, criterion: $criterion, confirmed: $confirmed, note: $note) {
      __typename
      ... on Demand { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const PublishDemand = graphql(`
  mutation PublishDemand($id: ID!) {
    publishDemand(id: $id) {
      __typename
      ... on Demand { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const ReturnDemand = graphql(`
  mutation ReturnDemand($id: ID!, $comments: String!) {
    returnDemand(id: $id, comments: $comments) {
      __typename
      ... on Demand { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RejectDemand = graphql(`
  mutation RejectDemand($id: ID!, $reason: String!) {
    rejectDemand(id: $id, reason: $reason) {
      __typename
      ... on Demand { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const StartImport = graphql(`
  mutation StartImport($file: Upload!, $kind: ImportKind!) {
    startImport(file: $file, kind: $kind) {
      __typename
      ... on ImportJob { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const ResumeImport = graphql(`
  mutation ResumeImport($id: ID!) {
    resumeImport(id: $id) {
      __typename
      ... on ImportJob { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const ImportProgress = graphql(`
  query ImportProgress($id: ID!, $offset: Int!) {
    importJob(id: $id, errorsFirst: 20, errorsOffset: $offset) {
      __typename
      ... on ImportJob {
        id kind status resumable filename format total processed
        counts { created updated unchanged failed }
        ignoredColumns
        error { code message { zh en } }
        errors { total offset nextOffset rows { row key errors { column field code message { zh en } } } }
      }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)
