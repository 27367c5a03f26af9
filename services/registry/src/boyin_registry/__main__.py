from boyin_registry.app import definition
from boyin_shared.service import run

run(definition)
