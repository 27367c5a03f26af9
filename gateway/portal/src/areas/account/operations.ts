import { graphql } from '../../gql'

export const PrivacyNoticeQuery = graphql(`
  query PrivacyNotice { privacyNotice { version text { zh en } purposes { code description { zh en } } } }
`)

export const RegisterTalent = graphql(`
  mutation RegisterTalent($input: TalentInput!) {
    registerTalent(input: $input) {
      __typename
      ... on Talent { id }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RegisterOrganisation = graphql(`
  mutation RegisterOrganisation($input: OrganisationInput!) {
    registerOrganisation(input: $input) {
      __typename
      ... on Organisation { id }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const MyTalent = graphql(`
  query MyTalent($id: ID!) {
    talent(id: $id) { id name { zh en } degree field { zh en } institution { zh en } country timezone contact { name email phone } }
  }
`)

export const MyOrganisation = graphql(`
  query MyOrganisation($id: ID!) {
    organisation(id: $id) { id name { zh en } kind districtCode creditCode contacts { name email phone } }
  }
`)
