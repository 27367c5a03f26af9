from boyin_agreements.app import definition
from boyin_shared.service import run

run(definition)
