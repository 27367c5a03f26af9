import { graphql } from '../gql'

export const SignIn = graphql(`
  mutation SignIn($login: String!, $password: String!) {
    signIn(login: $login, password: $password) {
      __typename
      ... on Session { accessToken refreshToken expiresIn }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const SignUp = graphql(`
  mutation SignUp($login: String!, $password: String!, $role: AccountRole!) {
    signUp(login: $login, password: $password, role: $role) {
      __typename
      ... on SignedUp { account { id role } session { accessToken refreshToken expiresIn } }
      ... on Problem { code message { zh en } fields { field code message { zh en } } }
    }
  }
`)

export const Refresh = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      __typename
      ... on Session { accessToken refreshToken expiresIn }
      ... on Problem { code message { zh en } }
    }
  }
`)

export const SignOut = graphql(`
  mutation SignOut($refreshToken: String!) { signOut(refreshToken: $refreshToken) }
`)

export const Me = graphql(`
  query Me { me { id login role districtCode partyId } }
`)
