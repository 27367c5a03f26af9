// The four channels: their URL slugs, who registers in each, and the empty details.
import type { Channel, DemandDetailsInput } from '../../gql/graphql'

export const CHANNELS: Channel[] = ['PROJECT_COOPERATION', 'JOB_SEEKING', 'PROJECT_LANDING', 'TALENT_RECRUITMENT']

export const SLUGS: Record<Channel, string> = {
  PROJECT_COOPERATION: 'project-cooperation',
  JOB_SEEKING: 'job-seeking',
  PROJECT_LANDING: 'project-landing',
  TALENT_RECRUITMENT: 'talent-recruitment',
}

export function channelOfSlug(slug: string): Channel | null {
  return CHANNELS.find((c) => SLUGS[c] === slug) ?? null
}

/** Talents offer projects and seek posts; organisations host projects and recruit. */
export function sideOf(channel: Channel): 'TALENT' | 'ORGANISATION' {
  return channel === 'PROJECT_COOPERATION' || channel === 'JOB_SEEKING' ? 'TALENT' : 'ORGANISATION'
}

export interface DetailsForm {
  stage: 'IDEA' | 'PROTOTYPE' | 'PILOT' | 'PRODUCT'
  trl: number
  ipStatus: 'NONE' | 'FILED' | 'GRANTED' | 'LICENSED'
  sought: string[]
  fundingSoughtWan: number | null
  teamSize: number
  desiredRole: string
  workMode: 'FULL_TIME' | 'PART_TIME' | 'FLEXIBLE'
  earliestStart: string
  salaryMinWan: number | null
  salaryMaxWan: number | null
  cooperationModes: string[]
  budgetWan: number | null
  facilities: string
  policies: string
  wantedStage: '' | 'IDEA' | 'PROTOTYPE' | 'PILOT' | 'PRODUCT'
  positions: number
  degreeRequired: 'PHD' | 'PHD_CANDIDATE' | 'POSTDOC' | 'POSTDOC_IN_STATION'
  package: string
  locationDistrict: string
}

export function emptyDetails(): DetailsForm {
  return {
    stage: 'PROTOTYPE', trl: 4, ipStatus: 'NONE', sought: [], fundingSoughtWan: null, teamSize: 1,
    desiredRole: '', workMode: 'FULL_TIME', earliestStart: '', salaryMinWan: null, salaryMaxWan: null,
    cooperationModes: [], budgetWan: null, facilities: '', policies: '', wantedStage: '',
    positions: 1, degreeRequired: 'PHD', package: '', locationDistrict: '',
  }
}

const text = (s: string) => s.trim() || null

/** The details input of a channel from the form. */
export function detailsInput(channel: Channel, d: DetailsForm): DemandDetailsInput {
  switch (channel) {
    case 'PROJECT_COOPERATION':
      return { projectCooperation: { stage: d.stage, trl: d.trl, ipStatus: d.ipStatus, sought: d.sought as never, fundingSoughtWan: d.fundingSoughtWan, teamSize: d.teamSize } }
    case 'JOB_SEEKING':
      return { jobSeeking: { desiredRole: d.desiredRole.trim(), workMode: d.workMode, earliestStart: text(d.earliestStart), salaryMinWan: d.salaryMinWan, salaryMaxWan: d.salaryMaxWan } }
    case 'PROJECT_LANDING':
      return { projectLanding: { cooperationModes: d.cooperationModes as never, budgetWan: d.budgetWan, facilities: text(d.facilities), policies: text(d.policies), wantedStage: d.wantedStage || null } }
    case 'TALENT_RECRUITMENT':
      return { talentRecruitment: { positions: d.positions, degreeRequired: d.degreeRequired, workMode: d.workMode, package: text(d.package), locationDistrict: text(d.locationDistrict) } }
  }
}
