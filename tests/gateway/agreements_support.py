"""GraphQL documents of agreements, shared by the gateway tests."""

from __future__ import annotations

from tests.gateway.support import PROBLEM

AGREEMENT = """
id stage unconfirmed revision signedAt
parties { kind id role }
origin { kind }
terms { title { zh en } cooperationType districtCode editionId
        amounts { kind amount currency } }
history { fromStage toStage by role reason }
confirmations { partyId by }
milestones { id kind due reachedOn followUps { note by } }
"""
RESULT = f"__typename ... on Agreement {{ {AGREEMENT} }} {PROBLEM}"

GET = f"query($id: ID!) {{ agreement(id: $id) {{ {AGREEMENT} }} }}"
LIST = f"""
query($filter: AgreementFilter, $first: Int!, $after: String) {{
  agreements(filter: $filter, first: $first, after: $after) {{
    __typename
    ... on AgreementConnection {{ edges {{ cursor node {{ id stage }} }}
                                  pageInfo {{ hasNextPage endCursor }} }}
    {PROBLEM}
  }}
}}"""
START = f"""
mutation($input: StartAgreementInput!) {{ startAgreement(input: $input) {{ {RESULT} }} }}"""
ADVANCE = f"""
mutation($id: ID!, $to: AgreementStage!) {{
  advanceAgreement(id: $id, to: $to, reason: "agreed") {{ {RESULT} }}
}}"""
TERMINATE = f"""
mutation($id: ID!) {{ terminateAgreement(id: $id, reason: "withdrawn") {{ {RESULT} }} }}"""
CONFIRM = f"""
mutation($id: ID!, $partyId: ID!) {{
  confirmSignature(id: $id, partyId: $partyId) {{ {RESULT} }}
}}"""
AMEND = f"""
mutation($id: ID!, $terms: AgreementTermsInput!) {{
  amendAgreementTerms(id: $id, terms: $terms) {{ {RESULT} }}
}}"""
PLAN = f"""
mutation($id: ID!, $input: MilestoneInput!) {{ planMilestone(id: $id, input: $input) {{ {RESULT} }} }}"""
REACH = f"""
mutation($id: ID!, $m: ID!) {{
  reachMilestone(id: $id, milestoneId: $m, reachedOn: "2026-10-01") {{ {RESULT} }}
}}"""
FOLLOW_UP = f"""
mutation($id: ID!, $m: ID!) {{
  followUpMilestone(id: $id, milestoneId: $m, note: "on track") {{ {RESULT} }}
}}"""
EVALUATION = """
id agreementId on by total policies { id version }
results { policy { id version } partyId verdict amount computed capped missingFacts
          eligibility { zh en } }
support { partyId total byLevel { level amount } }
"""
EVALUATE = f"""
mutation($id: ID!, $parties: [PartyFactsInput!]) {{
  evaluateSupport(id: $id, on: "2026-09-01", parties: $parties) {{
    __typename ... on SupportEvaluation {{ {EVALUATION} }} {PROBLEM}
  }}
}}"""
EVALUATIONS = f"query($id: ID!) {{ agreementEvaluations(id: $id) {{ {EVALUATION} }} }}"
POLICIES = "{ supportPolicies { id version title { zh en } issuerLevel condition amount cap } }"
ROSTER = f"""
query($e: ID!) {{
  editionRoster(editionId: $e) {{
    __typename
    ... on CeremonyRoster {{ editionId rows {{ order agreementId title {{ zh en }} parties {{ zh }} }} }}
    {PROBLEM}
  }}
}}"""
ADD_PARTY = f"""
mutation($id: ID!, $party: AgreementPartyInput!) {{
  addAgreementParty(id: $id, party: $party) {{ {RESULT} }}
}}"""
REMOVE_PARTY = f"""
mutation($id: ID!, $p: ID!) {{ removeAgreementParty(id: $id, partyId: $p) {{ {RESULT} }} }}"""
ROSTER_ORDERED = f"""
query($e: ID!, $order: [ID!]) {{
  editionRoster(editionId: $e, order: $order) {{
    __typename
    ... on CeremonyRoster {{ rows {{ order agreementId headline }} }}
    {PROBLEM}
  }}
}}"""
