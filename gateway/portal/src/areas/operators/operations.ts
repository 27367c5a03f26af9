import { graphql } from '../../gql'


// ---- dashboard
export const FairFunnel = graphql(`
  query FairFunnel($by: FunnelDimension!) {
    funnel(by: $by) {
      __typename
      ... on Funnel {
        by
        total { key steps { step count conversion } contractValues { amount currency } }
        rows { key steps { step count conversion } }
      }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const PipelineFeed = graphql(`
  subscription PipelineFeed { pipelineEvents { id type time } }
`)

// ---- matching
export const MatchQueue = graphql(`
  query MatchQueue {
    matchReviewQueue {
      id demandId counterpartDemandId counterpartKind score goodMatch status source
      explanation { reasons { code zh en } mismatches { code zh en } }
    }
    rematchJob { state total done error }
    demandsWithoutGoodMatch { demandId channel ownerId bestScore }
  }
`)

export const ConfirmMatch = graphql(`
  mutation ConfirmMatch($id: ID!, $note: String) {
    confirmMatch(id: $id, note: $note) {
      __typename
      ... on Match { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const WithdrawMatch = graphql(`
  mutation WithdrawMatch($id: ID!, $note: String) {
    withdrawMatch(id: $id, note: $note) {
      __typename
      ... on Match { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const AddMatch = graphql(`
  mutation AddMatch($demandId: ID!, $counterpartDemandId: ID!, $note: String!) {
    addMatch(demandId: $demandId, counterpartDemandId: $counterpartDemandId, note: $note) {
      __typename
      ... on Match { id score }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const StartRematch = graphql(`
  mutation StartRematch {
    startRematch { __typename ... on RematchJob { state total done } ... on Problem { code message { zh en } fields { field code message { zh en } } } }
  }
`)

export const RematchFeed = graphql(`
  subscription RematchFeed { rematchProgress { state total done error } }
`)

// ---- scheduling
export const Editions = graphql(`
  query OperatorEditions { fairEditions { id code name { zh en } status firstDay lastDay } }
`)

export const EditionSchedule = graphql(`
  query EditionSchedule($editionId: ID!) {
    schedule(editionId: $editionId) {
      __typename
      ... on Schedule {
        editionId version publishedAt job jobError pending
        draft { scheduled unscheduled objective bound ratio greedyObjective solver seconds computedAt violations unscheduledMeetings { meetingId reason { zh en } } }
        published { scheduled unscheduled objective bound ratio solver seconds computedAt violations }
      }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const SolveSchedule = graphql(`
  mutation SolveSchedule($editionId: ID!, $timeLimitS: Float!) {
    solveSchedule(editionId: $editionId, timeLimitS: $timeLimitS, lpBound: true) {
      __typename
      ... on Schedule { job }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const PublishSchedule = graphql(`
  mutation PublishSchedule($editionId: ID!) {
    publishSchedule(editionId: $editionId) {
      __typename
      ... on Schedule { version publishedAt }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RepairSchedule = graphql(`
  mutation RepairSchedule($editionId: ID!, $movePlaced: Boolean!) {
    repairSchedule(editionId: $editionId, movePlaced: $movePlaced) {
      __typename
      ... on Schedule { version pending }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

// ---- agreements and the ceremony
export const AgreementPipeline = graphql(`
  query AgreementPipeline($stage: AgreementStage) {
    agreements(first: 100, filter: { stage: $stage }) {
      __typename
      ... on AgreementConnection {
        edges { node { id stage signedAt terms { title { zh en } districtCode editionId } parties { id role profile { __typename ... on Organisation { name { zh en } } ... on Talent { name { zh en } } } } } }
      }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const AdvanceAgreement = graphql(`
  mutation AdvanceAgreement($id: ID!, $to: AgreementStage!) {
    advanceAgreement(id: $id, to: $to) {
      __typename
      ... on Agreement { id stage }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const AgreementFeed = graphql(`
  subscription AgreementFeed { agreementNews { agreementId change stage at } }
`)

export const Roster = graphql(`
  query Roster($editionId: ID!) {
    editionRoster(editionId: $editionId) {
      __typename
      ... on CeremonyRoster { editionId rows { order agreementId parties { zh en } title { zh en } cooperationType headline } }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

// ---- reference data and accounts
export const TaxonomyNow = graphql(`
  query TaxonomyNow { taxonomy { version nodes { code parent name { zh en } retired } } districts { code name { zh en } kind } }
`)

export const AddTaxonomyCode = graphql(`
  mutation AddTaxonomyCode($code: String!, $nameZh: String!, $nameEn: String!, $parent: String) {
    addTaxonomyCode(code: $code, nameZh: $nameZh, nameEn: $nameEn, parent: $parent) {
      __typename
      ... on TaxonomyCodeChanged { taxonomyVersion }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RenameTaxonomyCode = graphql(`
  mutation RenameTaxonomyCode($code: String!, $nameZh: String!, $nameEn: String!) {
    renameTaxonomyCode(code: $code, nameZh: $nameZh, nameEn: $nameEn) {
      __typename
      ... on TaxonomyCodeChanged { taxonomyVersion }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RetireTaxonomyCode = graphql(`
  mutation RetireTaxonomyCode($code: String!) {
    retireTaxonomyCode(code: $code) {
      __typename
      ... on TaxonomyCodeChanged { taxonomyVersion }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const CreateStaffAccount = graphql(`
  mutation CreateStaffAccount($login: String!, $password: String!, $role: AccountRole!, $districtCode: String) {
    createAccount(login: $login, password: $password, role: $role, districtCode: $districtCode) {
      __typename
      ... on Account { id login role districtCode }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const StaffAccounts = graphql(`
  query StaffAccounts($first: Int!, $after: String, $filter: AccountFilter) {
    accounts(first: $first, after: $after, filter: $filter) {
      __typename
      ... on AccountConnection {
        nodes { id login role districtCode createdAt status lastSignInAt }
        pageInfo { hasNextPage endCursor }
      }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)
