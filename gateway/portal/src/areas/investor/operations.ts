import { graphql } from '../../gql'

export const NewProjects = graphql(`
  subscription NewProjects($filter: ProjectFilter) {
    newProjects(filter: $filter) { demandId title { zh en } taxonomyCodes stage fundingSoughtWan language publishedAt }
  }
`)

export const PublishedProjects = graphql(`
  query PublishedProjects($taxonomyCode: String) {
    demands(first: 50, filter: { channel: PROJECT_COOPERATION, status: PUBLISHED, taxonomyCode: $taxonomyCode }) {
      edges { node { id title { zh en } taxonomyCodes language updatedAt details { __typename ... on ProjectCooperationDetails { stage fundingSoughtWan } } } }
    }
  }
`)
