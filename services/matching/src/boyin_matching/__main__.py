from boyin_matching.app import definition
from boyin_shared.service import run

run(definition)
