import { graphql } from '../../gql'

export const MyPublishedDemands = graphql(`
  query MyPublishedDemands($ownerId: String!) {
    demands(first: 100, filter: { ownerId: $ownerId, status: PUBLISHED }) {
      edges { node { id channel title { zh en } } }
    }
  }
`)

export const MatchesOf = graphql(`
  query MatchesOf($demandId: ID!) {
    matches(demandId: $demandId, first: 20) {
      id demandId counterpartDemandId counterpartKind counterpartPartyId score goodMatch status myResponse
      explanation {
        reasons { code zh en }
        mismatches { code zh en }
        congestionNote { zh en }
        reliabilityNote { zh en }
      }
      counterpartContacts { name email phone role }
    }
  }
`)

export const CounterpartDemand = graphql(`
  query CounterpartDemand($id: ID!) {
    demand(id: $id) {
      id channel title { zh en } description { zh en }
      owner { __typename ... on Talent { id name { zh en } } ... on Organisation { id name { zh en } } }
    }
  }
`)

export const AnswerMatch = graphql(`
  mutation AnswerMatch($id: ID!, $interested: Boolean!) {
    answerMatch(id: $id, interested: $interested) {
      __typename
      ... on MatchAnswer { matchId status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const MyMatchNews = graphql(`
  subscription MyMatchNews { myMatches { matchId kind myDemandId counterpartDemandId score at } }
`)

export const OpenEditionIds = graphql(`
  query OpenEditionIds { fairEditions { id status } }
`)

export const AskToMeet = graphql(`
  mutation AskToMeet($editionId: ID!, $inviteeId: String!) {
    requestMeeting(editionId: $editionId, input: { inviteeId: $inviteeId }) {
      __typename
      ... on Meeting { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)
