from boyin_mentors.app import definition
from boyin_shared.service import run

run(definition)
