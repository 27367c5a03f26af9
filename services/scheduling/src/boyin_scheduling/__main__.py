from boyin_scheduling.app import definition
from boyin_shared.service import run

run(definition)
