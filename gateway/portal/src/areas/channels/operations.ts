import { graphql } from '../../gql'

export const DemandFields = graphql(`
  fragment DemandFields on Demand {
    id channel status ownerId revision updatedAt
    title { zh en } description { zh en }
    taxonomyCodes keywords editions expiresOn
    claims { criterion evidence evidenceFile review reviewNote }
    attachments { id name contentType size downloadPath }
    details {
      __typename
      ... on ProjectCooperationDetails { stage trl ipStatus sought fundingSoughtWan teamSize }
      ... on JobSeekingDetails { desiredRole workMode earliestStart salaryMinWan salaryMaxWan }
      ... on ProjectLandingDetails { cooperationModes budgetWan facilities policies wantedStage }
      ... on TalentRecruitmentDetails { positions degreeRequired workMode package locationDistrict }
    }
    history { to at reason }
  }
`)

export const MyDemands = graphql(`
  query MyDemands($ownerId: String!) {
    demands(first: 100, filter: { ownerId: $ownerId }) {
      edges { node { id channel status title { zh en } updatedAt } }
    }
  }
`)

export const DemandById = graphql(`
  query DemandById($id: ID!) { demand(id: $id) { ...DemandFields } }
`)

export const CreateDemand = graphql(`
  mutation CreateDemand($ownerId: String!, $content: DemandContentInput!, $submit: Boolean!) {
    createDemand(ownerId: $ownerId, content: $content, submit: $submit) {
      __typename
      ... on Demand { ...DemandFields }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const EditDemand = graphql(`
  mutation EditDemand($id: ID!, $content: DemandContentInput!) {
    editDemand(id: $id, content: $content) {
      __typename
      ... on Demand { ...DemandFields }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const SubmitDemand = graphql(`
  mutation SubmitDemand($id: ID!) {
    submitDemand(id: $id) {
      __typename
      ... on Demand { ...DemandFields }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const UploadAttachment = graphql(`
  mutation UploadAttachment($file: Upload!) {
    uploadAttachment(file: $file) {
      __typename
      ... on Attachment { id name contentType size downloadPath }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)
