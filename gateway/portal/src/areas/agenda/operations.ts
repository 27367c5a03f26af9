import { graphql } from '../../gql'

export const OpenEditions = graphql(`
  query OpenEditions {
    fairEditions {
      id name { zh en } code status timezone firstDay lastDay
      sessions {
        id kind title { zh en } description { zh en } start end room capacity waitlistLimit
        status confirmed waiting myState meetingPoint { zh en }
      }
    }
  }
`)

export const MyAgenda = graphql(`
  query MyAgenda($editionId: ID!) {
    myAgenda(editionId: $editionId) {
      __typename
      ... on Agenda {
        editionId icsPath
        items {
          kind id start end title { zh en } location state counterpartId
          counterpart { __typename ... on Talent { name { zh en } } ... on Organisation { name { zh en } } }
        }
      }
      ... on Problem { code message { zh en } }
    }
    myAttendance(editionId: $editionId) {
      __typename
      ... on Attendance { checkInToken calendarUrl agendaIcsPath checkedInAt kind declared }
      ... on Problem { code message { zh en } }
    }
    myMeetings(editionId: $editionId, first: 100) {
      edges {
        node {
          id status requesterId inviteeId source mode videoLink note counterpartId
          place { start end table }
          counterpart { __typename ... on Talent { name { zh en } } ... on Organisation { name { zh en } } }
        }
      }
    }
  }
`)

export const SignUpForSession = graphql(`
  mutation SignUpForSession($sessionId: ID!) {
    signUpForSession(sessionId: $sessionId) {
      __typename
      ... on AgendaSession { id myState confirmed waiting }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const WithdrawSignUp = graphql(`
  mutation WithdrawSignUp($sessionId: ID!) {
    withdrawSignUp(sessionId: $sessionId) {
      __typename
      ... on AgendaSession { id myState confirmed waiting }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const AnswerMeeting = graphql(`
  mutation AnswerMeeting($id: ID!, $accept: Boolean!) {
    answerMeeting(id: $id, accept: $accept) {
      __typename
      ... on Meeting { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RequestMeeting = graphql(`
  mutation RequestMeeting($editionId: ID!, $inviteeId: String!, $note: String) {
    requestMeeting(editionId: $editionId, input: { inviteeId: $inviteeId, note: $note }) {
      __typename
      ... on Meeting { id status }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const RotateCalendar = graphql(`
  mutation RotateCalendar($editionId: ID!) {
    rotateCalendarToken(editionId: $editionId) {
      __typename
      ... on Attendance { calendarUrl }
      ... on Problem { code message { zh en } }
    }
  }
`)

export const MyScheduleNews = graphql(`
  subscription MyScheduleNews { mySchedule { __typename } }
`)
