"""The services' HTTP API models, one definition each, shared by the service and its clients.

``boyin_shared.api.<service>`` holds the request and response models (and the enums they
use) of one service's HTTP API. The service answers with them, the gateway parses the
answers into them and derives its GraphQL types from them; nobody restates them. They
import pydantic, the standard library and ``boyin_shared`` only, never a service. Each
service's OpenAPI document is snapshotted (``tests/contracts/test_openapi.py``), so a
change to one of these models that breaks a client fails a test.
"""
