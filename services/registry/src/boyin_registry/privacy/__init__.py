"""Privacy: who may see contact details, the grants mutual matches create, the audit of
disclosures, and people's rights to take their data away and to have it erased."""
