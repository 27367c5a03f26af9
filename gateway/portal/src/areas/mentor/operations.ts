import { graphql } from '../../gql'

export const MentorQueue = graphql(`
  query MentorQueue {
    myMentorRecord { id status profile { name } }
    mentorQueue {
      screeningId
      demand { title { zh en } taxonomyCodes }
      assignment { state assignedAt dueAt }
      ownReview { total }
    }
  }
`)

export const MentorScreening = graphql(`
  query MentorScreening($id: ID!) {
    screeningTask(id: $id) {
      screeningId
      demand { demandId title { zh en } description { zh en } language taxonomyCodes keywords }
      assignment { state assignedAt dueAt }
      ownReview { submittedAt total scores { criterion score comment } }
      otherReviews { total scores { criterion score comment } }
    }
  }
`)

export const SubmitRubric = graphql(`
  mutation SubmitRubric($screeningId: ID!, $scores: [RubricScoreInput!]!) {
    submitScreeningReview(screeningId: $screeningId, scores: $scores) {
      __typename
      ... on ScreeningTask { screeningId ownReview { total submittedAt } }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const MentorConsultations = graphql(`
  query MentorConsultations {
    myConsultations { id partyId editionId start end mode topic status notes { by at text } }
  }
`)

export const RecordConsultation = graphql(`
  mutation RecordConsultation($id: ID!, $outcome: ConsultationStatus!) {
    recordConsultationOutcome(id: $id, outcome: $outcome) {
      __typename
      ... on Consultation { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const AddNote = graphql(`
  mutation AddNote($id: ID!, $text: String!) {
    addGuidanceNote(id: $id, text: $text) {
      __typename
      ... on Consultation { id notes { by at text } }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)
